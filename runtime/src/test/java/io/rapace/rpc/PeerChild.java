package io.rapace.rpc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starts an {@link RpcPeerMain} child JVM for a listening session, on a memory backend, its output discarded. */
final class PeerChild {
    private PeerChild() {
    }

    static Process start(RpcSession.Listening listening, String backend, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Drapace.memory=" + backend));
        String jffiDir = System.getProperty("jffi.extract.dir");
        if (jffiDir != null) {
            cmd.add("-Djffi.extract.dir=" + jffiDir); // chronicle's native stub stays under target/
        }
        if (backend.equals("chronicle")) {
            cmd.addAll(Arrays.asList(System.getProperty("rapace.chronicle.flags",
                    "--add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED")
                    .split(" ")));
        }
        cmd.addAll(List.of(RpcPeerMain.class.getName(), listening.segmentPath().toString(),
                listening.socketPath().toString()));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
