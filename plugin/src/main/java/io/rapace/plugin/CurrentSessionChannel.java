package io.rapace.plugin;

import io.rapace.rpc.CallChannel;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;
import java.util.function.Supplier;

/**
 * The channel behind a plugin's client: each call goes to the plugin's current session, so one client keeps working
 * across restarts ({@code docs/plugin-host.md}). While the plugin has no session (it crashed, is restarting, or stopped) a call
 * fails at once with {@link ErrorCode#UNAVAILABLE}, like every other failure a caller sees: an {@link RpcException}
 * with a code.
 */
final class CurrentSessionChannel extends ForwardingCallChannel {
    private final Supplier<CallChannel> current;
    private final Supplier<String> unavailable;

    /**
     * @param current the session to call now, or null when there is none
     * @param unavailable the message of the {@code UNAVAILABLE} failure when there is none
     */
    CurrentSessionChannel(Supplier<CallChannel> current, Supplier<String> unavailable) {
        this.current = current;
        this.unavailable = unavailable;
    }

    @Override
    CallChannel delegate() {
        CallChannel c = current.get();
        if (c == null) {
            throw new RpcException(ErrorCode.UNAVAILABLE, unavailable.get());
        }
        return c;
    }
}
