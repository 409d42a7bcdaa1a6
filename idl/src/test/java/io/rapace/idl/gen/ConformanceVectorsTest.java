package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.codec.Codec;
import io.rapace.codec.DecodeException;
import io.rapace.codec.Postcard;
import io.rapace.sink.GetRequest;
import io.rapace.sink.GetRequestCodec;
import io.rapace.sink.GetResponse;
import io.rapace.sink.GetResponseCodec;
import io.rapace.sink.LogLevel;
import io.rapace.sink.LogRequest;
import io.rapace.sink.LogRequestCodec;
import io.rapace.sink.Message;
import io.rapace.sink.MessageCodec;
import io.rapace.sink.PluginConfig;
import io.rapace.sink.PluginConfigCodec;
import io.rapace.sink.ProcessRequest;
import io.rapace.sink.ProcessRequestCodec;
import io.rapace.sink.ProcessResponse;
import io.rapace.sink.ProcessResponseCodec;
import io.rapace.sink.SetRequest;
import io.rapace.sink.SetRequestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The generated codecs of the seed's messages (declared in the kitchen sink; the vectors' {@code Level} is our
 * {@code LogLevel}, and their {@code Message} enum a data enum whose newtype variants are one-field struct variants)
 * reproduce every {@code msg_*} vector of {@code postcard-vectors.tsv}, made by the Rust postcard crate, byte for
 * byte, and decode those bytes back to the same value.
 */
class ConformanceVectorsTest {

    private record Case(Codec<Object> codec, Object value) {
        @SuppressWarnings("unchecked")
        static <T> Case of(Codec<T> codec, T value) {
            return new Case((Codec<Object>) (Codec<?>) codec, value);
        }
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static Map<String, Case> cases() {
        byte[] upTo129 = new byte[130];
        for (int i = 0; i < upTo129.length; i++) {
            upTo129[i] = (byte) i;
        }
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("msg_log_request_error_utf8", Case.of(LogRequestCodec.CODEC,
                new LogRequest(LogLevel.ERROR, "disk \uD83D\uDCBE full: 100%")));
        cases.put("msg_get_request", Case.of(GetRequestCodec.CODEC, new GetRequest("user:42")));
        cases.put("msg_get_response_none", Case.of(GetResponseCodec.CODEC, new GetResponse(Optional.empty())));
        cases.put("msg_get_response_some_len130", Case.of(GetResponseCodec.CODEC,
                new GetResponse(Optional.of(upTo129))));
        cases.put("msg_set_request_binary", Case.of(SetRequestCodec.CODEC,
                new SetRequest("bin", bytes(0, 128, 255, 127))));
        cases.put("msg_plugin_config_empty", Case.of(PluginConfigCodec.CODEC, new PluginConfig("", new byte[0])));
        cases.put("msg_process_request_zero", Case.of(ProcessRequestCodec.CODEC,
                new ProcessRequest(0, "", new byte[0])));
        cases.put("msg_process_request_id_max", Case.of(ProcessRequestCodec.CODEC,
                new ProcessRequest(-1L, "max", bytes(255, 255, 255))));
        cases.put("msg_process_response_fail", Case.of(ProcessResponseCodec.CODEC,
                new ProcessResponse(2, false, new byte[0])));
        cases.put("msg_envelope_log", Case.of(MessageCodec.CODEC,
                new Message.Log(new LogRequest(LogLevel.WARN, "w"))));
        cases.put("msg_envelope_set", Case.of(MessageCodec.CODEC, new Message.Set(new SetRequest("k", bytes(9)))));
        cases.put("msg_envelope_process_resp", Case.of(MessageCodec.CODEC,
                new Message.ProcessResp(new ProcessResponse(7, true, bytes(2)))));
        return cases;
    }

    @Test
    void generatedCodecsReproduceEveryMessageVector() throws IOException, DecodeException {
        String dir = System.getProperty("rapace.conformance.dir");
        Path vectors = Path.of(dir == null ? "../shared/conformance" : dir, "postcard-vectors.tsv");
        Map<String, Case> cases = cases();
        TreeSet<String> seen = new TreeSet<>();
        for (String line : Files.readAllLines(vectors, StandardCharsets.UTF_8)) {
            if (!line.startsWith("msg_")) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            String name = columns[0];
            Case c = cases.get(name);
            assertEquals(true, c != null, "no Java value for vector " + name + ": " + columns[2]);
            byte[] expected = HexFormat.of().parseHex(columns[3]);
            assertEquals(columns[3], HexFormat.of().formatHex(Postcard.encode(c.codec(), c.value())), name);
            assertArrayEquals(expected, Postcard.encode(c.codec(), Postcard.decode(c.codec(), expected)), name);
            seen.add(name);
        }
        assertEquals(new TreeSet<>(cases.keySet()), seen, "every case has its vector, and every vector its case");
    }
}
