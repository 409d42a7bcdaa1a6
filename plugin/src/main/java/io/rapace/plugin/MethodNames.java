package io.rapace.plugin;

import io.rapace.plugin.api.HostServicesDescriptor;
import io.rapace.plugin.api.PluginDescriptor;
import io.rapace.registry.MethodDescriptor;
import io.rapace.registry.ServiceDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names the metrics and the JFR call events give a method id of the seed's services ({@code Storage.get}) when the
 * call itself did not name its method (a call by id alone); calls through generated clients and dispatchers name it.
 */
final class MethodNames {
    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        for (ServiceDescriptor service : List.of(new HostServicesDescriptor(), new PluginDescriptor())) {
            for (MethodDescriptor method : service.methods()) {
                NAMES.put(method.id(), method.name());
            }
        }
    }

    private MethodNames() {
    }

    /** The method's name, or its id as an unsigned number when it is none of the seed's. */
    static String of(int methodId) {
        String name = NAMES.get(methodId);
        return name != null ? name : Integer.toUnsignedString(methodId);
    }
}
