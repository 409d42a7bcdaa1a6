package io.rapace.plugin;

import io.rapace.plugin.api.HostEvent;
import io.rapace.rpc.RpcStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The host's events (plugin loaded or unloaded, configuration updated, shutdown), fanned out to every subscriber:
 * each {@code HostEvents.subscribe} call of a plugin gets its own queue, drained into its response stream (which the
 * stream's credit bounds on the wire). A subscription ends when the plugin cancels it, when its session ends, or
 * after the {@link HostEvent.Shutdown} event.
 */
public final class HostEventBus {
    /** Events a slow subscriber may have queued before it is dropped (it would otherwise hold the host's memory). */
    static final int MAX_QUEUED = 10_000;

    private final Set<LinkedBlockingQueue<HostEvent>> subscribers = ConcurrentHashMap.newKeySet();

    /** Sends {@code event} to every subscriber; a subscriber with {@value #MAX_QUEUED} events unread is dropped. */
    public void publish(HostEvent event) {
        for (LinkedBlockingQueue<HostEvent> queue : subscribers) {
            if (queue.size() >= MAX_QUEUED || !queue.offer(event)) {
                subscribers.remove(queue);
                queue.clear();
                queue.offer(new HostEvent.Shutdown());
            }
        }
    }

    /** Subscribers right now. */
    public int subscribers() {
        return subscribers.size();
    }

    /** A stream of the events published from now on, ending after {@link HostEvent.Shutdown}. */
    RpcStream<HostEvent> subscribe() {
        LinkedBlockingQueue<HostEvent> queue = new LinkedBlockingQueue<>();
        subscribers.add(queue);
        return RpcStream.generate(out -> {
            try {
                while (true) {
                    HostEvent event = queue.take();
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
}
