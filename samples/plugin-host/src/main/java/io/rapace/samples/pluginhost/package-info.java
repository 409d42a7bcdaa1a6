/**
 * The seed's plugin-host example as real processes: {@link io.rapace.samples.pluginhost.PluginHostDemo} is the host;
 * {@link io.rapace.samples.pluginhost.AnalyticsPlugin} and {@link io.rapace.samples.pluginhost.TransformPlugin} are
 * plugin mains it starts, each in its own JVM with its own segment. Uses only the public API of
 * {@code io.rapace.plugin}.
 */
package io.rapace.samples.pluginhost;
