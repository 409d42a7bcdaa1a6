package io.rapace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.config.SessionConfig;
import io.rapace.shm.Segment;
import io.rapace.shm.SegmentException;
import io.rapace.shm.ShmFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.rapace.testing.ExpectedLogs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's half of a session before the plugin connects: closing it removes both files whenever it happens, even
 * while another thread waits in {@code accept} (which then fails at once, not at its timeout); a directory that is
 * not there is named in one sentence with the setting that points elsewhere; a process of another user that reaches the
 * socket is refused. Waits are bounded guards.
 */
class ListeningTest {
    @RegisterExtension
    final ExpectedLogs logs = new ExpectedLogs();
    private static final Duration GUARD = Duration.ofSeconds(60);
    private static final SessionListener NO_FRAMES = (session, frame) -> { };

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), ShmFiles.leftByThisProcess());
    }

    @Test
    void closingWhileAcceptWaitsRemovesBothFilesAndEndsTheWait() throws Exception {
        Session.Listening listening = Session.listen(SessionConfig.defaults());
        List<Path> files = List.of(listening.segmentPath(), listening.socketPath());
        files.forEach(f -> assertTrue(Files.exists(f), f.toString()));
        CompletableFuture<Session> accept = CompletableFuture.supplyAsync(() -> {
            try {
                return listening.accept(NO_FRAMES, Duration.ofDays(1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // close while the accept waits (or just before it starts: the accept then fails the same way)
        Thread.sleep(50);
        listening.close();
        files.forEach(f -> assertFalse(Files.exists(f), f + " is left behind"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> accept.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertEquals("the listening on " + listening.socketPath() + " was closed before a plugin connected",
                e.getCause().getCause().getMessage());
        listening.close(); // idempotent
    }

    @Test
    void acceptAfterCloseFailsAtOnce() throws Exception {
        Session.Listening listening = Session.listen(SessionConfig.defaults());
        listening.close();
        assertFalse(Files.exists(listening.segmentPath()));
        assertFalse(Files.exists(listening.socketPath()));
        SessionException e = assertTimeoutPreemptively(GUARD, () -> assertThrows(SessionException.class,
                () -> listening.accept(NO_FRAMES, Duration.ofDays(1))));
        assertEquals("the listening on " + listening.socketPath() + " was closed before a plugin connected",
                e.getMessage());
    }

    @Test
    void aTimedOutAcceptRemovesBothFiles() throws Exception {
        Session.Listening listening = Session.listen(SessionConfig.defaults());
        SessionException e = assertThrows(SessionException.class,
                () -> listening.accept(NO_FRAMES, Duration.ofMillis(50)));
        assertEquals("no plugin connected to " + listening.socketPath() + " within 50 ms", e.getMessage());
        assertFalse(Files.exists(listening.segmentPath()));
        assertFalse(Files.exists(listening.socketPath()));
    }

    @Test
    void aMissingDirectoryIsOneSentenceNamingTheSetting(@TempDir Path dir) {
        Path missing = dir.resolve("no-shm");
        SegmentException e = assertThrows(SegmentException.class,
                () -> Session.listen(SessionConfig.builder().directory(missing).build()));
        assertEquals("shared-memory directory " + missing + " does not exist: rapace creates its files there "
                + "(/dev/shm by default, which Linux has and macOS does not); set -Drapace.shm.dir=<dir> or "
                + "SessionConfig.Builder.directory to a directory on a memory-backed file system", e.getMessage());
    }

    @Test
    void theDefaultDirectoryIsDevShmUnlessThePropertyNamesAnother(@TempDir Path dir) {
        assertEquals(Path.of("/dev/shm"), Segment.DEFAULT_DIRECTORY);
        String before = System.getProperty(Segment.DIRECTORY_PROPERTY);
        try {
            System.clearProperty(Segment.DIRECTORY_PROPERTY);
            assertEquals(Path.of("/dev/shm"), Segment.defaultDirectory());
            assertEquals(Path.of("/dev/shm"), SessionConfig.defaults().directory());
            System.setProperty(Segment.DIRECTORY_PROPERTY, dir.toString());
            assertEquals(dir, Segment.defaultDirectory());
            assertEquals(dir, SessionConfig.defaults().directory());
        } finally {
            if (before == null) {
                System.clearProperty(Segment.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(Segment.DIRECTORY_PROPERTY, before);
            }
        }
    }

    /**
     * The socket's mode keeps other users out; were it widened, {@code SO_PEERCRED} still does: a process of user
     * {@code nobody} that connects first is refused with a warning naming it, and the host's own plugin is then
     * accepted. Needs root, to start the intruder as another user ({@code setpriv}), as on the CI machines.
     */
    @Test
    void aProcessOfAnotherUserIsRefusedAndThePluginOfThisUserIsAccepted() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/perl")),
                "starting a process as another user needs root, setpriv and perl");
        Session.Listening listening = Session.listen(SessionConfig.defaults());
        Files.setPosixFilePermissions(listening.socketPath(), PosixFilePermissions.fromString("rw-rw-rw-"));
        Process intruder = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/perl", "-MIO::Socket::UNIX", "-e",
                "$| = 1; my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die \"connect: $!\"; print \"connected\\n\"; sleep 60;",
                listening.socketPath().toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(intruder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("connected", out.readLine(), "the intruder could not even connect");
            CompletableFuture<Session> plugin = CompletableFuture.supplyAsync(() -> {
                try {
                    return Session.connect(listening.segmentPath(), listening.socketPath(), SessionConfig.defaults(),
                            NO_FRAMES);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Session host = listening.accept(NO_FRAMES, GUARD);
            try (host; Session joined = plugin.get(GUARD.toSeconds(), TimeUnit.SECONDS)) {
                String refusal = logs.expect(System.Logger.Level.WARNING, "from user nobody");
                assertTrue(refusal.startsWith("refused a connection to " + listening.socketPath() + " from user nobody "
                        + "(group "), refusal); // the group's name differs between systems
                assertTrue(refusal.endsWith("only processes of user root, this host's, may connect"), refusal);
                assertFalse(host.closed().isDone(), "the session with the plugin of this user ended: " + host.closeCause());
                assertFalse(joined.closed().isDone());
            }
        } finally {
            intruder.destroyForcibly().waitFor();
            listening.close(); // after a failure before the accept; nothing to do after it
        }
    }
}
