package io.rapace.rpc;

import io.rapace.codec.Codecs;
import io.rapace.session.SessionConfig;
import io.rapace.session.WakeMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.locks.LockSupport;

public class LatProbe {
    public static void main(String[] a) throws Exception {
        boolean spin = a[0].equals("spin");
        boolean paced = a[1].equals("paced");
        String childMode = a.length > 2 ? a[2] : "";
        RpcSession.Listening l = RpcSession.builder().config(SessionConfig.builder().peerId("host")
            .wakeMode(spin ? WakeMode.SPIN : WakeMode.BLOCKING).build()).listen();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
            "io.rapace.rpc.RpcPeerMain", l.segmentPath().toString(), l.socketPath().toString()));
        if (spin) cmd.add("spin");
        if (!childMode.isEmpty()) cmd.add(childMode);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        RpcSession rpc = l.accept(Duration.ofSeconds(20));
        String msg = "0123456789abcde";
        int n = paced ? 3000 : 30000;
        long[] t = new long[n];
        for (int i = -n/2; i < n; i++) {
            long s = System.nanoTime();
            rpc.unary(Probe.ECHO, msg, Codecs.STRING, Codecs.STRING, CallOptions.DEFAULT);
            long d = System.nanoTime() - s;
            if (i >= 0) t[i] = d;
            if (paced) { long until = s + 1_000_000; while (System.nanoTime() < until) LockSupport.parkNanos(until - System.nanoTime()); }
        }
        Arrays.sort(t);
        System.out.printf("%s %s %s p50=%.2fus p99=%.2fus%n", a[0], a[1], childMode, t[n/2]/1e3, t[n*99/100]/1e3);
        rpc.close();
        p.destroyForcibly().waitFor();
    }
}
