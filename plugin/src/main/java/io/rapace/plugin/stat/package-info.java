/**
 * The stat file a plugin host publishes its counters in, {@code /dev/shm/rapace-stat-<hostpid>}, and the command-line
 * tool that prints it ({@link io.rapace.plugin.stat.RapaceStat}, in the spirit of Aeron's {@code AeronStat}).
 *
 * <p>{@link io.rapace.plugin.stat.StatFileLayout} is the only place that spells out an offset of the file;
 * {@link io.rapace.plugin.stat.StatFileWriter} is used by the host, {@link io.rapace.plugin.stat.StatFileReader} by the
 * tool and by anyone else who wants the numbers. A row is a plain {@link io.rapace.plugin.stat.StatRow}, so this
 * package knows nothing of the host, its states or its metrics: it may import the JDK only, and
 * {@code io.rapace.plugin} depends on it, never the other way round.
 */
package io.rapace.plugin.stat;
