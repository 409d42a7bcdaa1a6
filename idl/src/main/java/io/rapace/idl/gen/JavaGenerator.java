package io.rapace.idl.gen;

import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one generator: from a {@link Schema} (built by the IDL parser or by the annotation processor) to Java sources
 * and the {@code ServiceLoader} registration. It is the only code in rapace that writes Java.
 *
 * <p>For each declared type: the type itself (a record, an enum, or a sealed interface with a record per variant),
 * unless {@link GeneratorOptions#emitTypes()} is false, and its codec {@code FooCodec}. For each service {@code Foo}:
 * the interface {@code Foo}, {@code FooClient}, {@code FooDispatcher} and {@code FooDescriptor}. Then, when there
 * are services, {@code META-INF/services/io.rapace.registry.ServiceDescriptor} listing the descriptors.
 *
 * <p>The output is deterministic: files in declaration order (types, then services, then the resource), and each
 * file's text depends only on the schema and the options.
 */
public final class JavaGenerator {

    /** The {@code ServiceLoader} resource that lists the generated descriptors. */
    public static final String SERVICE_LOADER_PATH = "META-INF/services/io.rapace.registry.ServiceDescriptor";

    private JavaGenerator() {
    }

    /**
     * Every file for {@code schema}.
     *
     * @throws IllegalArgumentException if two generated classes of the schema would have the same name (for
     *     example a struct {@code FooClient} beside a service {@code Foo}), naming both elements
     */
    public static List<GeneratedFile> generate(Schema schema, GeneratorOptions options) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(options, "options");
        List<GeneratedFile> files = new ArrayList<>();
        List<Service> services = schema.services();
        if (!services.isEmpty()) {
            files.add(ServiceLoaderFile.generate(services));
        }
        return List.copyOf(files);
    }
}
