package io.rapace.session;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is at the other end of an accepted doorbell connection ({@code SO_PEERCRED}): a host admits only processes that
 * run as its own user.
 */
final class PeerCredentials {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();

    private PeerCredentials() {
    }

    /** Says once why peers are not checked; this class touches jdk.net only in {@link #refusal}. */
    static void unsupported(String why) {
        if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, why + ": plugins are admitted by the socket's mode 0600 alone");
        }
    }

    /**
     * {@code null} when the peer of {@code channel} runs as {@code owner}, else the sentence that says who was refused.
     * Where the platform cannot tell the peer's user, the connection is admitted (the socket's mode still guards it),
     * and that is logged once.
     */
    static String refusal(SocketChannel channel, UserPrincipal owner, Path socketPath) {
        if (!channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
            unsupported("this platform does not tell a Unix socket's peer (SO_PEERCRED)");
            return null;
        }
        UnixDomainPrincipal peer;
        try {
            peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException e) {
            return "refused a connection to " + socketPath + ": its peer's credentials cannot be read (" + e + ")";
        }
        if (owner.equals(peer.user())) {
            return null;
        }
        return "refused a connection to " + socketPath + " from user " + peer.user().getName() + " (group "
                + peer.group().getName() + "): only processes of user " + owner.getName() + ", this host's, may connect";
    }
}
