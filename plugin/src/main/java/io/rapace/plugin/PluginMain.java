package io.rapace.plugin;

import io.rapace.config.CloseCause;
import io.rapace.config.Limits;
import io.rapace.config.SessionConfig;
import io.rapace.plugin.api.HostServices;
import io.rapace.plugin.api.HostServicesClient;
import io.rapace.plugin.api.Plugin;
import io.rapace.plugin.api.PluginConfig;
import io.rapace.plugin.api.PluginDispatcher;
import io.rapace.rpc.CallChannel;
import io.rapace.rpc.CallOptions;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.Lifecycle;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.ServiceDispatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The plugin side of a plugin host: attaches to the segment named on the command line, serves the plugin's services,
 * answers the host's lifecycle verbs, and ends the process when the session ends. A plugin serves whatever generated
 * dispatchers its author chooses, and calls whatever host services the application exposes through their generated
 * clients on {@link Setup#host()}:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     PluginMain.main(args, plugin -> {
 *         Gallery gallery = new GalleryClient(plugin.host());
 *         plugin.serve(new ThumbnailerDispatcher(new FastThumbnailer(gallery)))
 *               .onInitialize(config -> ...)      // the host's Initialize verb, with the spec's config bytes
 *               .onShutdown(() -> ...);           // the host's Shutdown verb; returning acknowledges it
 *     });
 * }
 * }</pre>
 *
 * <p>A plugin of the seed's {@code Plugin} service is one line, and answers the lifecycle verbs with its own
 * {@code initialize} and {@code shutdown}: {@code PluginMain.serve(args, host -> new AnalyticsPlugin(host))}.
 *
 * <p>The host appends {@code --rapace-segment <path> --rapace-socket <path> --rapace-plugin-id <id>
 * --rapace-max-message-size <bytes>} to the plugin's command line ({@link #SEGMENT}, {@link #SOCKET},
 * {@link #PLUGIN_ID}, {@link #MAX_MESSAGE_SIZE}); every other argument is the plugin's own
 * ({@link Arguments#rest()}).
 * The plugin's session takes the host's maximum message size ({@code PluginLimits.maxMessageSize}), so a limit raised
 * on the host holds in both directions. The {@link HostServices} handed to the factory calls the host: from inside a handler
 * such a call is a nested call (it inherits the handler's deadline and cancellation).
 *
 * <p>The process ends with status 0 when the host closed the session in order (after {@code shutdown}), and with
 * status 3 when the host went away without closing it (the host was killed: an orphaned plugin notices the end of
 * the doorbell socket at once and exits rather than linger).
 */
public final class PluginMain {
    /** The option naming the segment file. */
    public static final String SEGMENT = "--rapace-segment";
    /** The option naming the doorbell socket. */
    public static final String SOCKET = "--rapace-socket";
    /** The option giving the plugin's id. */
    public static final String PLUGIN_ID = "--rapace-plugin-id";
    /** The option giving the largest message, in bytes, the plugin's session sends and accepts (optional). */
    public static final String MAX_MESSAGE_SIZE = "--rapace-max-message-size";
    /** Exit status when the host disappeared without closing the session. */
    public static final int ORPHANED = 3;
    /** Exit status when the command line lacks the host's options or the segment cannot be attached. */
    public static final int USAGE = 2;

    private static final System.Logger LOG = System.getLogger(PluginMain.class.getName());

    private PluginMain() {
    }

    /**
     * Serves what {@code setup} chooses until the host ends the session, then exits the JVM (status 0 after an
     * orderly close, {@value #ORPHANED} when the host died, {@value #USAGE} for a bad command line or a setup that
     * serves nothing). Never returns.
     */
    public static void main(String[] args, Consumer<Setup> setup) {
        int status;
        try {
            status = runUntilClosed(Arguments.parse(args), setup) == CloseCause.PEER_GOAWAY ? 0 : ORPHANED;
        } catch (IllegalArgumentException e) {
            System.err.println("rapace plugin: " + e.getMessage());
            status = USAGE;
        } catch (IOException e) {
            System.err.println("rapace plugin: cannot attach to the host: " + e.getMessage());
            status = USAGE;
        }
        System.exit(status);
    }

    /**
     * Serves the seed's {@code Plugin} service, as {@code factory} makes it, until the host ends the session; the
     * plugin's {@code initialize} and {@code shutdown} answer the host's lifecycle verbs. Exits as
     * {@link #main(String[], Consumer)}. Never returns.
     */
    public static void serve(String[] args, Function<HostServices, Plugin> factory) {
        Objects.requireNonNull(factory, "factory");
        main(args, seedPlugin(factory));
    }

    /**
     * Serves the seed's {@code Plugin} service until the session ends and returns why it ended, without exiting (for
     * plugins that embed this in a larger program, and for tests).
     */
    public static CloseCause run(Arguments arguments, Function<HostServices, Plugin> factory) throws IOException {
        Objects.requireNonNull(factory, "factory");
        return runUntilClosed(arguments, seedPlugin(factory));
    }

    /**
     * Serves what {@code setup} chooses until the session ends and returns why it ended, without exiting.
     *
     * @throws IllegalArgumentException if the setup serves no service, or two of its services share a method id
     */
    public static CloseCause runUntilClosed(Arguments arguments, Consumer<Setup> setup) throws IOException {
        Objects.requireNonNull(setup, "setup");
        Setup chosen = new Setup(arguments);
        chosen.host.setupThread = Thread.currentThread();
        try {
            setup.accept(chosen);
        } finally {
            chosen.host.setupThread = null;
        }
        if (chosen.dispatchers.isEmpty()) {
            throw new IllegalArgumentException("plugin " + arguments.pluginId()
                    + " serves no service: call serve(dispatcher) in its setup");
        }
        RpcSession.Builder builder = RpcSession.builder()
                .config(SessionConfig.builder().peerId(arguments.pluginId())
                        .maxMessageSize(arguments.maxMessageSize()).build())
                .lifecycle(chosen.lifecycle());
        for (ServiceDispatcher dispatcher : chosen.dispatchers) {
            builder.serve(dispatcher);
        }
        RpcSession rpc = builder.connect(arguments.segment(), arguments.socket());
        chosen.host.bind(rpc);
        CloseCause cause = rpc.closed().join();
        LOG.log(System.Logger.Level.DEBUG, "plugin " + arguments.pluginId() + ": session ended (" + cause + ")");
        return cause;
    }

    private static Consumer<Setup> seedPlugin(Function<HostServices, Plugin> factory) {
        return setup -> {
            Plugin plugin = Objects.requireNonNull(factory.apply(new HostServicesClient(setup.host())),
                    "the plugin factory returned null");
            setup.serve(new PluginDispatcher(plugin))
                    .onInitialize(config -> plugin.initialize(new PluginConfig(setup.pluginId(), config)))
                    .onShutdown(plugin::shutdown);
        };
    }

    /**
     * What a plugin's main chooses before it connects: the services it serves, the hooks that answer the host's
     * lifecycle verbs, and the channel it calls the host through.
     */
    public static final class Setup {
        private final Arguments arguments;
        private final LateChannel host = new LateChannel();
        private final List<ServiceDispatcher> dispatchers = new ArrayList<>();
        private ConfigHook onInitialize = config -> { };
        private ShutdownHook onShutdown = () -> { };

        private Setup(Arguments arguments) {
            this.arguments = arguments;
        }

        /**
         * The channel to the host, for any generated client of a service the host exposes
         * ({@code new GalleryClient(plugin.host())}). A call made before the session is up waits for it; from inside
         * a handler a call is a nested call (it inherits the handler's deadline and cancellation).
         */
        public CallChannel host() {
            return host;
        }

        /** This plugin's id, as the host named it. */
        public String pluginId() {
            return arguments.pluginId();
        }

        /** The command line's arguments that are the plugin's own. */
        public List<String> arguments() {
            return arguments.rest();
        }

        /** Serves {@code dispatcher}'s service (any generated {@code FooDispatcher}); call once per service. */
        public Setup serve(ServiceDispatcher dispatcher) {
            dispatchers.add(Objects.requireNonNull(dispatcher, "dispatcher"));
            return this;
        }

        /**
         * Answers the host's Initialize with the spec's configuration bytes; returning acknowledges it, throwing
         * fails the plugin's start (an {@code RpcException} keeps its code and message).
         */
        public Setup onInitialize(ConfigHook hook) {
            this.onInitialize = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** Answers the host's Shutdown; returning acknowledges it, and the host then closes the session. */
        public Setup onShutdown(ShutdownHook hook) {
            this.onShutdown = Objects.requireNonNull(hook, "hook");
            return this;
        }

        private Lifecycle lifecycle() {
            ConfigHook init = onInitialize;
            ShutdownHook stop = onShutdown;
            return new Lifecycle() {
                @Override
                public void initialize(byte[] config) throws Exception {
                    init.initialize(config);
                }

                @Override
                public void shutdown() throws Exception {
                    stop.shutdown();
                }
            };
        }
    }

    /** Answers the host's Initialize verb. */
    @FunctionalInterface
    public interface ConfigHook {
        void initialize(byte[] config) throws Exception;
    }

    /** Answers the host's Shutdown verb. */
    @FunctionalInterface
    public interface ShutdownHook {
        void shutdown() throws Exception;
    }

    /**
     * The host's options and the plugin's own arguments.
     *
     * @param maxMessageSize the host's maximum message size; {@link Limits#DEFAULT_MAX_MESSAGE_SIZE} (16 MiB)
     *                       when the command line has no {@value PluginMain#MAX_MESSAGE_SIZE}
     */
    public record Arguments(Path segment, Path socket, String pluginId, int maxMessageSize, List<String> rest) {

        public Arguments {
            if (maxMessageSize <= 0) {
                throw new IllegalArgumentException(MAX_MESSAGE_SIZE + " must be positive: " + maxMessageSize);
            }
            rest = List.copyOf(rest);
        }

        /** Arguments with the default maximum message size. */
        public Arguments(Path segment, Path socket, String pluginId, List<String> rest) {
            this(segment, socket, pluginId, Limits.DEFAULT_MAX_MESSAGE_SIZE, rest);
        }

        /**
         * Reads {@code --rapace-segment}, {@code --rapace-socket}, {@code --rapace-plugin-id} and the optional
         * {@code --rapace-max-message-size} (each followed by its value, or as {@code --option=value}) from anywhere in
         * {@code args}; the rest stays in order.
         *
         * @throws IllegalArgumentException naming what is missing, repeated or without a value
         */
        public static Arguments parse(String[] args) {
            String segment = null;
            String socket = null;
            String id = null;
            String maxMessageSize = null;
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (!option.equals(SEGMENT) && !option.equals(SOCKET) && !option.equals(PLUGIN_ID)
                        && !option.equals(MAX_MESSAGE_SIZE)) {
                    rest.add(arg);
                    continue;
                }
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                switch (option) {
                    case SEGMENT -> segment = once(option, segment, value);
                    case SOCKET -> socket = once(option, socket, value);
                    case MAX_MESSAGE_SIZE -> maxMessageSize = once(option, maxMessageSize, value);
                    default -> id = once(option, id, value);
                }
            }
            List<String> missing = new ArrayList<>();
            if (segment == null) {
                missing.add(SEGMENT);
            }
            if (socket == null) {
                missing.add(SOCKET);
            }
            if (id == null) {
                missing.add(PLUGIN_ID);
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("missing " + String.join(", ", missing)
                        + ": a plugin is started by a rapace PluginHost, which passes them");
            }
            int maxSize = Limits.DEFAULT_MAX_MESSAGE_SIZE;
            if (maxMessageSize != null) {
                try {
                    maxSize = Integer.parseInt(maxMessageSize);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(MAX_MESSAGE_SIZE + " needs a number of bytes, not \""
                            + maxMessageSize + "\"");
                }
            }
            return new Arguments(Path.of(segment), Path.of(socket), id, maxSize, rest);
        }

        private static String once(String option, String earlier, String value) {
            if (earlier != null) {
                throw new IllegalArgumentException(option + " is given twice");
            }
            return value;
        }
    }

    /**
     * A channel to the host that exists before the session does: the plugin is built (and may keep its
     * {@link HostServices}) before connecting, and a call made before the session is up waits for it.
     */
    private static final class LateChannel extends ForwardingCallChannel {
        private final CompletableFuture<CallChannel> target = new CompletableFuture<>();
        /** The thread running the plugin's setup, while it does: it cannot wait for a session it comes before. */
        volatile Thread setupThread;

        void bind(CallChannel channel) {
            target.complete(channel);
        }

        @Override
        Route route(CallOptions options) {
            if (!target.isDone() && Thread.currentThread() == setupThread) {
                throw new RpcException(ErrorCode.FAILED_PRECONDITION, "the host cannot be called during the "
                        + "plugin's setup, before its session is up: call it from a handler or a lifecycle hook");
            }
            try {
                if (options.timeout().isPresent()) {
                    return new Route(target.get(options.timeout().get().toNanos(), TimeUnit.NANOSECONDS), options);
                }
                return new Route(target.get(), options);
            } catch (TimeoutException e) {
                throw new RpcException(ErrorCode.DEADLINE_EXCEEDED, "the session to the host was not up within "
                        + options.timeout().get().toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcException(ErrorCode.CANCELLED, "interrupted while waiting for the session to the host");
            } catch (ExecutionException e) {
                throw new RpcException(ErrorCode.UNAVAILABLE, "no session to the host: " + e.getCause());
            }
        }
    }
}
