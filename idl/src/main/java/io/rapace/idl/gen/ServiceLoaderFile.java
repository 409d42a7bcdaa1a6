package io.rapace.idl.gen;

import io.rapace.idl.model.Service;
import java.util.List;

/** The {@code META-INF/services} resource through which {@code ServiceRegistry.discover()} finds the descriptors. */
final class ServiceLoaderFile {

    private ServiceLoaderFile() {
    }

    /** One line per service, the binary name of its descriptor, in declaration order. */
    static GeneratedFile generate(List<Service> services) {
        StringBuilder text = new StringBuilder();
        for (Service service : services) {
            text.append(Names.descriptor(service).reflectionName()).append('\n');
        }
        return new GeneratedFile(GeneratedFile.Kind.RESOURCE, JavaGenerator.SERVICE_LOADER_PATH, text.toString());
    }
}
