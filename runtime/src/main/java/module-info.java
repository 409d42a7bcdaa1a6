/**
 * rapace's runtime: the annotations of annotated services, the postcard codec, a session's settings, the call API
 * that generated clients and dispatchers use (over the in-process loopback or a shared-memory session), and the
 * service registry.
 *
 * <p>Exported: {@code io.rapace.annotation}, {@code io.rapace.codec}, {@code io.rapace.config}, {@code io.rapace.rpc}
 * and {@code io.rapace.registry}. The shared-memory segment and transport ({@code io.rapace.shm}) and the session
 * ({@code io.rapace.session}) are internal; the plugin host ({@code io.rapace.plugin}) alone reads
 * {@code io.rapace.shm} (the segment directory's checks and the wording of a file's magic). chronicle-core is
 * optional: on the module path, {@code -Drapace.memory=chronicle} needs {@code --add-modules chronicle.core} as well
 * ({@code docs/modules.md}).
 *
 * <p>Generated {@code FooDescriptor} classes are found with {@link java.util.ServiceLoader}: from
 * {@code META-INF/services} on the class path, and from {@code provides io.rapace.registry.ServiceDescriptor with ...}
 * in a named module ({@code docs/modules.md}).
 */
// "module": the qualified export names io.rapace.plugin, built after this module; "requires-automatic": chronicle-core
// is an automatic module (with a stable Automatic-Module-Name)
@SuppressWarnings({"module", "requires-automatic"})
module io.rapace.runtime {
    requires static chronicle.core;
    requires static jdk.net; // SO_PEERCRED where the image has it (PeerCredentials)

    exports io.rapace.annotation;
    exports io.rapace.codec;
    exports io.rapace.config;
    exports io.rapace.registry;
    exports io.rapace.rpc;
    exports io.rapace.shm to io.rapace.plugin;

    uses io.rapace.registry.ServiceDescriptor;
}
