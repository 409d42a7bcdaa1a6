package io.rapace.benchmarks.codec;

/** The seed's {@code struct LogRequest { level: LogLevel, message: string }}. */
public record LogRequest(LogLevel level, String message) {
}
