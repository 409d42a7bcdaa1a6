package io.rapace.benchmarks.codec;

/** The seed's {@code enum LogLevel { Trace, Debug, Info, Warn, Error }}; on the wire, the declaration index. */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR
}
