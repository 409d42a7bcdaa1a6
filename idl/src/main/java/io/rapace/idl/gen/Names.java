package io.rapace.idl.gen;

import com.palantir.javapoet.ClassName;
import io.rapace.idl.model.JavaClassName;
import io.rapace.idl.model.Service;
import java.util.List;

/** The names of the generated classes: DESIGN section 2a's {@code FooClient}, {@code FooCodec}, ... */
final class Names {

    private Names() {
    }

    /** The JavaPoet name of a model class name. */
    static ClassName className(JavaClassName name) {
        List<String> simpleNames = name.simpleNames();
        return ClassName.get(name.packageName(), simpleNames.get(0),
                simpleNames.subList(1, simpleNames.size()).toArray(new String[0]));
    }

    /** A top-level class beside {@code service}'s interface, named after it with {@code suffix}. */
    private static ClassName companion(Service service, String suffix) {
        JavaClassName name = service.javaName();
        return ClassName.get(name.packageName(), String.join("", name.simpleNames()) + suffix);
    }

    static ClassName service(Service service) {
        return className(service.javaName());
    }

    static ClassName client(Service service) {
        return companion(service, "Client");
    }

    static ClassName dispatcher(Service service) {
        return companion(service, "Dispatcher");
    }

    static ClassName descriptor(Service service) {
        return companion(service, "Descriptor");
    }
}
