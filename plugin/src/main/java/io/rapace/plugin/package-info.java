/**
 * The plugin host product, in building blocks: launching and supervising plugin processes
 * ({@link io.rapace.plugin.PluginCommand}, {@link io.rapace.plugin.PluginProcess}), deciding restarts
 * ({@link io.rapace.plugin.RestartPolicy}), per-plugin metrics with JFR events
 * ({@link io.rapace.plugin.PluginMetrics}), and finding plugin jars ({@link io.rapace.plugin.PluginDiscovery}).
 *
 * <p>{@link io.rapace.plugin.PluginHost} keeps the plugins by id and the host's own life; behind it, one package-private
 * class per concern: {@code PluginSupervisor} (a plugin's state machine, the end of each incarnation, restarts),
 * {@code PluginLauncher} (one process and its session, from {@code Starting} to {@code Running}),
 * {@code PluginShutdown} (the orderly stop of one plugin and of all), {@code StatPublisher} (the stat file and the
 * {@code PluginStats} JFR event) and {@code DirectoryLoader} ({@code loadDirectory}). What they share of the host is
 * a {@code HostContext}.
 *
 * <p>The generated services of the seed live in {@code io.rapace.plugin.api}; the stat file and the stat tool in
 * {@code io.rapace.plugin.stat}, which knows nothing of this package (the host turns its metrics into stat rows, never
 * the other way round).
 *
 * <p>May import the runtime's exported packages ({@code io.rapace.rpc}, {@code io.rapace.config},
 * {@code io.rapace.registry}, {@code io.rapace.codec}, {@code io.rapace.annotation}), {@code io.rapace.shm} only for
 * {@code Segment}'s checks of the segment directory (the runtime exports it to this module alone), never
 * {@code io.rapace.session}; and {@code io.rapace.plugin.api}, {@code io.rapace.plugin.stat} and the JDK
 * ({@code jdk.jfr} included). A session is reached through {@code RpcSession} and closed through its draining
 * {@code close}.
 */
package io.rapace.plugin;
