package io.rapace.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated codecs of the seed's messages reproduce the {@code msg_*} struct vectors that the Rust postcard crate
 * wrote into {@code postcard-vectors.tsv} (its {@code Level} enum is our {@code LogLevel}), byte for byte, and decode
 * them back to the same values.
 */
class SeedVectorsTest {
    private static final Map<String, String> hexByCase = new HashMap<>();

    @BeforeAll
    static void readVectors() throws IOException {
        String dir = System.getProperty("rapace.conformance.dir");
        assertTrue(dir != null && !dir.isBlank(), "system property rapace.conformance.dir is not set");
        Path file = Path.of(dir, "postcard-vectors.tsv");
        assertTrue(Files.isRegularFile(file), "conformance file missing: " + file.toAbsolutePath());
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#")) {
                String[] columns = line.split("\t", -1);
                hexByCase.put(columns[0], columns[3]);
            }
        }
    }

    private static <T> void assertVector(String caseName, Codec<T> codec, T value) throws DecodeException {
        String hex = hexByCase.get(caseName);
        assertTrue(hex != null, "no case " + caseName + " in postcard-vectors.tsv");
        assertEquals(hex, HexFormat.of().formatHex(Postcard.encode(codec, value)), caseName + " encodes");
        assertEquals(value, Postcard.decode(codec, HexFormat.of().parseHex(hex)), caseName + " decodes");
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void logRequest() throws DecodeException {
        assertVector("msg_log_request_error_utf8", LogRequestCodec.CODEC,
                new LogRequest(LogLevel.ERROR, "disk \ud83d\udcbe full: 100%"));
    }

    @Test
    void getRequestAndResponse() throws DecodeException {
        assertVector("msg_get_request", GetRequestCodec.CODEC, new GetRequest("user:42"));
        assertVector("msg_get_response_none", GetResponseCodec.CODEC, new GetResponse(Optional.empty()));
        byte[] value = new byte[130];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        assertVector("msg_get_response_some_len130", GetResponseCodec.CODEC, new GetResponse(Optional.of(value)));
    }

    @Test
    void setRequest() throws DecodeException {
        assertVector("msg_set_request_binary", SetRequestCodec.CODEC, new SetRequest("bin", bytes(0, 128, 255, 127)));
    }

    @Test
    void pluginConfig() throws DecodeException {
        assertVector("msg_plugin_config_empty", PluginConfigCodec.CODEC, new PluginConfig("", new byte[0]));
    }

    @Test
    void processRequestAndResponse() throws DecodeException {
        assertVector("msg_process_request_zero", ProcessRequestCodec.CODEC, new ProcessRequest(0, "", new byte[0]));
        assertVector("msg_process_request_id_max", ProcessRequestCodec.CODEC,
                new ProcessRequest(-1L, "max", bytes(255, 255, 255)));
        assertVector("msg_process_response_fail", ProcessResponseCodec.CODEC,
                new ProcessResponse(2, false, new byte[0]));
    }
}
