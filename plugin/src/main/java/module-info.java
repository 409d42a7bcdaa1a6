/**
 * rapace's plugin host: {@code PluginHost} and the plugin side's {@code PluginMain} ({@code io.rapace.plugin}), the
 * seed's host and plugin services generated from {@code src/main/rapace} ({@code io.rapace.plugin.api}), and the stat
 * file with its command-line tool ({@code io.rapace.plugin.stat}). See {@code docs/plugin-host.md}.
 */
module io.rapace.plugin {
    requires transitive io.rapace.runtime;
    requires jdk.jfr;

    exports io.rapace.plugin;
    exports io.rapace.plugin.api;
    exports io.rapace.plugin.stat;

    provides io.rapace.registry.ServiceDescriptor
            with io.rapace.plugin.api.HostServicesDescriptor, io.rapace.plugin.api.PluginDescriptor;
}
