package io.rapace.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The chat room over gRPC between two JVMs ({@link ChatOverGrpc}): a server child and a client child. */
class ChatOverGrpcProcessTest {

    private static Process java(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), ChatOverGrpc.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void theGeneratedClientTalksToTheGeneratedDispatcherOverGrpc() throws Exception {
        Process server = java("server", "0");
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = serverOut.readLine();
            assertTrue(line != null && line.startsWith("PORT "), "the server did not start: " + line);
            Process client = java("client", "127.0.0.1:" + line.substring("PORT ".length()));
            String transcript = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, client.exitValue(), transcript);
            List<String> lines = transcript.lines().toList();
            assertEquals(List.of(
                    "post     -> 1 message(s) in the room",
                    "upload   -> UploadSummary[messages=2, authors=[grace, ada]]",
                    "history  -> ada: hello",
                    "history  -> grace: hi ada",
                    "history  -> ada: hi grace",
                    "converse -> #4 from linus: anyone here?"), lines.subList(0, 6));
            assertTrue(transcript.lines().anyMatch(l -> l.contains("Chat") && !l.contains("->")),
                    "the registry fetched over gRPC: " + transcript);
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        }
    }
}
