package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import io.rapace.idl.model.EnumDecl;
import io.rapace.idl.model.JavaClassName;
import io.rapace.idl.model.Schema;
import io.rapace.idl.model.Service;
import io.rapace.idl.model.SourcePosition;
import io.rapace.idl.model.StructDecl;
import io.rapace.idl.model.TypeDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one generator: from a {@link Schema} (built by the IDL parser or by the annotation processor) to Java sources
 * and the {@code ServiceLoader} registration. It is the only code in rapace that writes Java.
 *
 * <p>For each declared type: the type itself (a record, an enum, or a sealed interface with a record per variant),
 * unless {@link GeneratorOptions#emitTypes()} is false, and its codec {@code FooCodec}. For each service {@code Foo}:
 * the interface {@code Foo}, {@code FooClient}, {@code FooDispatcher} and {@code FooDescriptor}. Then, when there
 * are services, {@code META-INF/services/io.rapace.registry.ServiceDescriptor} listing the descriptors.
 *
 * <p>The output is deterministic: files in declaration order (each type and its codec, then each service's four
 * files, then the resource), and each file's text depends only on the schema and the options.
 *
 * <pre>{@code
 * Schema schema = IdlParser.parse(List.of(Path.of("src/main/rapace/host.rapace"))).schemaOrThrow();
 * for (GeneratedFile file : JavaGenerator.generate(schema, GeneratorOptions.DEFAULT)) {
 *     Files.writeString(outputDirectory.resolve(file.path()), file.content());
 * }
 * }</pre>
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
        SchemaIndex index = new SchemaIndex(schema);
        JavaTypes types = new JavaTypes(index);
        RecordWriter records = new RecordWriter(index, types);
        TypeGenerator typeGenerator = new TypeGenerator(records);
        CodecGenerator codecGenerator = new CodecGenerator(index, types);
        DescriptorGenerator descriptorGenerator = new DescriptorGenerator(index, types, records, codecGenerator);

        Map<ClassName, String> planned = plannedClasses(schema, options);
        Map<String, Set<String>> packageNames = new HashMap<>();
        for (ClassName name : planned.keySet()) {
            packageNames.computeIfAbsent(name.packageName(), p -> new TreeSet<>()).add(name.simpleName());
        }
        for (TypeDecl type : schema.types()) {
            packageNames.computeIfAbsent(type.javaName().packageName(), p -> new TreeSet<>())
                    .add(type.javaName().simpleNames().get(0));
        }
        options.packageClasses().forEach((packageName, names) ->
                packageNames.computeIfAbsent(packageName, p -> new TreeSet<>()).addAll(names));

        List<GeneratedFile> files = new ArrayList<>();
        Output output = new Output(options, files);
        for (TypeDecl type : schema.types()) {
            String packageName = type.javaName().packageName();
            String[] qualify = qualified(packageNames.get(packageName), memberNames(schema, packageName));
            if (options.emitTypes()) {
                output.add(packageName, typeGenerator.generate(type, qualify), type.position());
            }
            output.add(packageName, codecGenerator.generate(type, qualify), type.position());
        }
        for (Service service : schema.services()) {
            ServicePlan plan = new ServicePlan(service, index, types);
            String packageName = service.javaName().packageName();
            Map<String, Set<String>> memberNames = memberNames(schema, packageName);
            String[] qualify = qualified(packageNames.get(packageName), memberNames);
            // The client implements the service interface, so the interface's member classes are in its scope too.
            Set<String> clientScope = new TreeSet<>(packageNames.get(packageName));
            clientScope.addAll(options.memberClasses().getOrDefault(service.javaName().canonicalName(), Set.of()));
            clientScope.addAll(membersOf(service, schema));
            output.add(packageName, InterfaceGenerator.generate(plan, qualify), service.position());
            output.add(packageName, ClientGenerator.generate(plan, qualified(clientScope, memberNames)),
                    service.position());
            output.add(packageName, DispatcherGenerator.generate(plan, qualify), service.position());
            output.add(packageName, descriptorGenerator.generate(plan, qualify), service.position());
        }
        if (!schema.services().isEmpty()) {
            files.add(ServiceLoaderFile.generate(schema.services()));
        }
        return List.copyOf(files);
    }

    /** Every top-level class to be written, with what it is for; two of one name are an error. */
    private static Map<ClassName, String> plannedClasses(Schema schema, GeneratorOptions options) {
        Map<ClassName, String> planned = new LinkedHashMap<>();
        for (TypeDecl type : schema.types()) {
            String what = (type instanceof StructDecl ? "struct " : "enum ") + type.name().simpleName() + " (at "
                    + type.position() + ")";
            if (options.emitTypes()) {
                if (type.javaName().simpleNames().size() != 1) {
                    throw new IllegalArgumentException("the generator writes top-level types only, but " + what
                            + " is " + type.javaName());
                }
                plan(planned, Names.type(type), what);
                if (type instanceof EnumDecl enumDecl && !enumDecl.isUnitOnly()) {
                    for (var variant : enumDecl.variants()) {
                        if (!variant.javaClass().topLevel().equals(type.javaName())) {
                            throw new IllegalArgumentException("the generator nests variant records in their"
                                    + " interface, but variant " + variant.name() + " of " + what + " is "
                                    + variant.javaClass());
                        }
                    }
                }
            }
            plan(planned, Names.codec(type), "the codec of " + what);
        }
        for (Service service : schema.services()) {
            String what = "service " + service.identifier() + " (at " + service.position() + ")";
            plan(planned, Names.service(service), what);
            plan(planned, Names.client(service), "the client of " + what);
            plan(planned, Names.dispatcher(service), "the dispatcher of " + what);
            plan(planned, Names.descriptor(service), "the descriptor of " + what);
        }
        return planned;
    }

    private static void plan(Map<ClassName, String> planned, ClassName name, String what) {
        String first = planned.putIfAbsent(name, what);
        if (first != null) {
            throw new IllegalArgumentException("two generated classes would be named " + name.canonicalName()
                    + ": " + first + " and " + what);
        }
    }

    /**
     * The simple names a file must spell in full: the names of the user's classes in its scope ({@code inScope}),
     * and the names of the member classes generated code reaches through a class of one of those names. JavaPoet
     * then spells in full every class of another package that has one of these names (a {@code java.lang.String}
     * beside the user's {@code String}), and imports the rest as usual; a class of the file's own package keeps its
     * simple name.
     */
    private static String[] qualified(Set<String> inScope, Map<String, Set<String>> memberNames) {
        Set<String> names = new TreeSet<>(inScope);
        for (String name : inScope) {
            names.addAll(memberNames.getOrDefault(name, Set.of()));
        }
        return names.toArray(new String[0]);
    }

    /**
     * The member classes that generated code in {@code packageName} names through a class of another package, by
     * that class's simple name: the runtime's ({@code TypeRef.Named}), and the nested types and variant records of
     * the schema's other packages ({@code Shape.Circle}).
     */
    private static Map<String, Set<String>> memberNames(Schema schema, String packageName) {
        Map<String, Set<String>> members = new HashMap<>(RuntimeTypes.MEMBER_NAMES.size());
        RuntimeTypes.MEMBER_NAMES.forEach((name, nested) -> members.put(name, new TreeSet<>(nested)));
        List<JavaClassName> names = new ArrayList<>();
        for (TypeDecl type : schema.types()) {
            if (type.javaName().packageName().equals(packageName)) {
                continue;
            }
            names.add(type.javaName());
            if (type instanceof EnumDecl enumDecl && !enumDecl.isUnitOnly()) {
                enumDecl.variants().forEach(variant -> names.add(variant.javaClass()));
            }
        }
        for (JavaClassName name : names) {
            List<String> simpleNames = name.simpleNames();
            if (simpleNames.size() > 1) {
                members.computeIfAbsent(simpleNames.get(0), n -> new TreeSet<>())
                        .addAll(simpleNames.subList(1, simpleNames.size()));
            }
        }
        return members;
    }

    /** The simple names of the schema's types declared in {@code service}'s interface. */
    private static Set<String> membersOf(Service service, Schema schema) {
        List<String> outer = service.javaName().simpleNames();
        Set<String> members = new TreeSet<>();
        for (TypeDecl type : schema.types()) {
            List<String> simpleNames = type.javaName().simpleNames();
            if (type.javaName().packageName().equals(service.javaName().packageName())
                    && simpleNames.size() > outer.size() && simpleNames.subList(0, outer.size()).equals(outer)) {
                members.add(simpleNames.get(outer.size()));
            }
        }
        return members;
    }

    /** Turns type specs into files: the header, the indent, the layout touches. */
    private record Output(GeneratorOptions options, List<GeneratedFile> files) {

        void add(String packageName, TypeSpec type, SourcePosition position) {
            String source = options.source().isEmpty() ? position.file() : options.source();
            JavaFile file = JavaFile.builder(packageName, type)
                    .addFileComment("Generated by rapace from $L. Do not edit.", source)
                    .skipJavaLangImports(true)
                    .indent("    ")
                    .build();
            String directory = packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
            files.add(new GeneratedFile(GeneratedFile.Kind.SOURCE, directory + type.name() + ".java",
                    Layout.tidy(file.toString())));
        }
    }
}
