package io.rapace.plugin;

import io.rapace.plugin.api.HostEvent;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import io.rapace.rpc.RpcStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The host's events (plugin loaded or unloaded, configuration updated, shutdown), fanned out to every subscriber:
 * each {@code HostEvents.subscribe} call of a plugin gets its own queue, drained into its response stream (which the
 * stream's credit bounds on the wire). A subscription ends after the {@link HostEvent.Shutdown} event (sent to all
 * when the host closes, and to one plugin's subscriptions when that plugin is stopped), when the plugin cancels it,
 * or when its session ends. A subscriber that falls {@value #MAX_QUEUED} events behind is dropped: its stream fails
 * with {@code RESOURCE_EXHAUSTED}, saying so, rather than hold the host's memory.
 */
public final class HostEventBus {
    /** Events a slow subscriber may have queued before it is dropped. */
    static final int MAX_QUEUED = 10_000;
    /** Put in a dropped subscriber's queue: its stream fails. */
    private static final Object OVERFLOW = new Object();

    private final Map<LinkedBlockingQueue<Object>, String> subscribers = new ConcurrentHashMap<>();

    /** The host makes one ({@code PluginHost.events()}). */
    HostEventBus() {
    }

    /** Sends {@code event} to every subscriber. */
    public void publish(HostEvent event) {
        for (LinkedBlockingQueue<Object> queue : subscribers.keySet()) {
            offer(queue, event);
        }
    }

    private void offer(LinkedBlockingQueue<Object> queue, Object event) {
        if (queue.size() >= MAX_QUEUED) {
            subscribers.remove(queue);
            queue.clear();
            queue.offer(OVERFLOW);
        } else {
            queue.offer(event);
        }
    }

    /** Subscribers right now. */
    public int subscribers() {
        return subscribers.size();
    }

    /** Ends the subscriptions of one plugin with the {@code Shutdown} event (it is being stopped). */
    void endSubscriptions(String pluginId) {
        for (Map.Entry<LinkedBlockingQueue<Object>, String> entry : subscribers.entrySet()) {
            if (entry.getValue().equals(pluginId)) {
                offer(entry.getKey(), new HostEvent.Shutdown());
            }
        }
    }

    /** A stream of the events published from now on for {@code pluginId}, ending after {@link HostEvent.Shutdown}. */
    RpcStream<HostEvent> subscribe(String pluginId) {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        subscribers.put(queue, pluginId);
        return RpcStream.generate(out -> {
            try {
                while (true) {
                    Object next = queue.take();
                    if (next == OVERFLOW) {
                        throw new RpcException(ErrorCode.RESOURCE_EXHAUSTED, "this subscription fell " + MAX_QUEUED
                                + " events behind and was dropped; subscribe again");
                    }
                    HostEvent event = (HostEvent) next;
                    out.send(event);
                    if (event instanceof HostEvent.Shutdown) {
                        break;
                    }
                }
            } finally {
                subscribers.remove(queue);
            }
            out.complete();
        });
    }

    /** Keys of the live subscriptions, for tests. */
    Set<String> subscribedPlugins() {
        return Set.copyOf(subscribers.values());
    }
}
