package io.rapace.plugin;

import io.rapace.plugin.api.GetRequest;
import io.rapace.plugin.api.HostEvent;
import io.rapace.plugin.api.HostServices;
import io.rapace.plugin.api.LogLevel;
import io.rapace.plugin.api.LogRequest;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginConfig;
import io.rapace.plugin.api.ProcessRequest;
import io.rapace.plugin.api.ProcessResponse;
import io.rapace.plugin.api.SetRequest;
import io.rapace.rpc.RpcStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The plugin the host tests start as a real process. Operations: {@code echo} answers the data; {@code work} logs
 * through the host, reads the key named by the data from the host's storage, writes it back with one more {@code +},
 * and answers the new value (nested calls); {@code crash} exits the process at once with status 42; {@code hang}
 * never answers; {@code slow} answers like {@code echo} after sleeping the data's number of milliseconds;
 * {@code events} subscribes to the host's events and answers the first one's name;
 * {@code pid} answers its process id; {@code exit0} ends the process with status 0; {@code store} writes the data to
 * the host's storage; {@code stall-events} subscribes to the host's events and never reads them; {@code flood} logs
 * through the host from 8 threads for the data's number of milliseconds and answers how many calls were answered and
 * refused. Configured {@code stubborn}, it never acknowledges {@code shutdown} and ignores SIGTERM.
 */
public final class TestPlugin implements Plugin {
    private final HostServices host;
    private String config = "";

    TestPlugin(HostServices host) {
        this.host = host;
    }

    public static void main(String[] args) {
        PluginMain.serve(args, TestPlugin::new);
    }

    @Override
    public void initialize(PluginConfig request) {
        config = new String(request.configData(), StandardCharsets.UTF_8);
        if (config.equals("fail-init")) {
            throw new IllegalStateException("this plugin was told to fail its initialisation");
        }
        host.loggerLog(new LogRequest(LogLevel.INFO, "initialised with " + config));
    }

    @Override
    public ProcessResponse process(ProcessRequest request) {
        String data = new String(request.data(), StandardCharsets.UTF_8);
        String result;
        switch (request.operation()) {
            case "echo" -> result = config + ":" + data;
            case "slow" -> {
                try {
                    Thread.sleep(Long.parseLong(data));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                result = config + ":" + data;
            }
            case "work" -> {
                host.loggerLog(new LogRequest(LogLevel.INFO, "Processing started " + request.requestId()));
                String old = host.storageGet(new GetRequest(data)).value()
                        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
                result = old + "+";
                host.storageSet(new SetRequest(data, result.getBytes(StandardCharsets.UTF_8)));
            }
            case "crash" -> {
                Runtime.getRuntime().halt(42);
                result = "unreachable";
            }
            case "hang" -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                result = "interrupted";
            }
            case "events" -> {
                RpcStream<HostEvent> events = host.eventsSubscribe();
                Iterator<HostEvent> it = events.iterator();
                result = it.hasNext() ? it.next().getClass().getSimpleName() : "none";
                events.cancel();
            }
            case "pid" -> result = Long.toString(ProcessHandle.current().pid());
            case "exit0" -> {
                Runtime.getRuntime().halt(0);
                result = "unreachable";
            }
            case "store" -> {
                host.storageSet(new SetRequest("big", request.data()));
                result = "stored " + request.data().length;
            }
            case "stall-events" -> {
                // subscribes and reads nothing, ever: the host must drop it rather than queue without end
                RpcStream<HostEvent> events = host.eventsSubscribe();
                events.iterator();
                sleepUntilInterrupted();
                result = "interrupted";
            }
            case "flood" -> result = flood(Integer.parseInt(data));
            default -> throw new IllegalArgumentException("unknown operation " + request.operation());
        }
        return new ProcessResponse(request.requestId(), true, result.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void shutdown() {
        if (config.equals("stubborn")) {
            // never acknowledges, and keeps the JVM from exiting even on SIGTERM: only SIGKILL ends it
            Runtime.getRuntime().addShutdownHook(new Thread(() -> sleepForever()));
            sleepForever();
        }
    }

    /** Logs through the host from 8 threads for {@code millis} ms, as fast as it answers: "answered N, refused M". */
    private String flood(int millis) {
        java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        host.loggerLog(new LogRequest(LogLevel.DEBUG, "flood"));
                        answered.incrementAndGet();
                    } catch (io.rapace.rpc.RpcException e) {
                        if (e.code() != io.rapace.rpc.ErrorCode.RESOURCE_EXHAUSTED) {
                            throw e;
                        }
                        refused.incrementAndGet();
                    }
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return "answered " + answered.get() + ", refused " + refused.get();
    }

    private static void sleepUntilInterrupted() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep sleeping: this plugin is stubborn on purpose
            }
        }
    }
}
