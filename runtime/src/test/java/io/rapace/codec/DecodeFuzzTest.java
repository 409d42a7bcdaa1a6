package io.rapace.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rapace.codec.DecodeException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutated encodings of the vectors' message types, decoded as whole messages (plain and COBS-framed, from heap
 * arrays and direct buffers): whatever the input, a decode either succeeds or throws {@link DecodeException}, never
 * anything else. An input that decodes re-encodes to a value that decodes to the same value.
 */
class DecodeFuzzTest {
    private static final long SEED = 0xF0220_5EEDL;
    private static final int ITERATIONS = 300_000;
    private static final int SEEDS_PER_TYPE = 24;

    private static final String LEVEL = "enum Level{Trace=0,Debug=1,Info=2,Warn=3,Error=4}";
    private static final String LOG_REQUEST = "struct LogRequest{level:" + LEVEL + ",message:string}";
    private static final String PROCESS_REQUEST = "struct ProcessRequest{request_id:u64,operation:string,data:bytes}";
    private static final String SAMPLE = "enum Sample{Empty=0,Circle=1(f32),Rect=2(u32,u32),Poly=3{sides:u8,name:string}}";
    private static final String MESSAGE = "enum Message{Log=0(" + LOG_REQUEST + "),Get=1(struct GetRequest{key:string}),"
            + "GetResp=2(struct GetResponse{value:option<bytes>}),Set=3(struct SetRequest{key:string,value:bytes}),"
            + "Plugin=4(struct PluginConfig{plugin_id:string,config_data:bytes}),Process=5(" + PROCESS_REQUEST + "),"
            + "ProcessResp=6(struct ProcessResponse{request_id:u64,success:bool,result:bytes})}";
    private static final String OUTER = "struct Outer{id:u32,inner:struct Inner{a:i16,b:option<string>},"
            + "tags:seq<string>,points:seq<struct Point{x:i32,y:i32}>,kind:" + SAMPLE + "}";
    private static final String ALL_PRIMS = "struct AllPrims{b:bool,u8_:u8,u16_:u16,u32_:u32,u64_:u64,u128_:u128,"
            + "i8_:i8,i16_:i16,i32_:i32,i64_:i64,i128_:i128,f32_:f32,f64_:f64,c:char,s:string}";
    private static final String WIDE = "enum Wide{V<i>=<i> for i in 0..=299 (declaration order, index == number in "
            + "name); V128=128(u8); V200=200(u16,bool); V299=299{x:i32}; all other V<i> are unit variants}";

    /**
     * A type with a sequence of zero-sized elements: a mutated count of up to 2^31 - 9 decodes (without allocating
     * the elements), but re-encoding and comparing such a value walks billions of elements, so for this type the
     * fuzz checks the decode only.
     */
    private static final String ZERO_SIZED = "tuple<seq<unit>,unit_struct Marker,struct EmptyStruct{},array<char;2>,f64>";

    private static final List<String> TYPES = List.of(
            PROCESS_REQUEST,
            LOG_REQUEST,
            MESSAGE,
            OUTER,
            ALL_PRIMS,
            WIDE,
            "struct Fix{a:fixint_le<u32>,b:fixint_be<u16>,c:fixint_le<i64>}",
            "map<string,option<seq<u32>>>",
            "map<u32,option<bool>>",
            "map<bool,map<" + LEVEL + ",u8>>",
            "option<option<option<string>>>",
            "option<tuple<char,option<i128>,array<u16;3>,array<string;2>>>",
            "seq<option<" + MESSAGE + ">>",
            ZERO_SIZED);

    private record Subject(String text, WireType type, List<byte[]> plain, List<byte[]> framed) {
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedInputsOnlyEverThrowDecodeException() {
        long started = System.nanoTime();
        Random rnd = new Random(SEED);
        List<Subject> subjects = new ArrayList<>();
        for (String text : TYPES) {
            WireType type = WireTypeParser.parse(text);
            List<byte[]> plain = new ArrayList<>();
            List<byte[]> framed = new ArrayList<>();
            for (int i = 0; i < SEEDS_PER_TYPE; i++) {
                Object value = type.randomValue(rnd, 2);
                plain.add(Postcard.encode(type.codec(), value));
                framed.add(Postcard.encodeCobs(type.codec(), value));
            }
            subjects.add(new Subject(text, type, plain, framed));
        }

        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Subject s = subjects.get(i % subjects.size());
            boolean cobs = (i / subjects.size()) % 3 == 2;
            List<byte[]> seeds = cobs ? s.framed() : s.plain();
            byte[] input = mutate(rnd, seeds.get(rnd.nextInt(seeds.size())), seeds);
            Reason r = decodeOnce(s, input, cobs, i % 4 == 0);
            if (r == null) {
                accepted++;
            } else {
                reasons.merge(r, 1, Integer::sum);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("DecodeFuzzTest: " + ITERATIONS + " mutated inputs over " + TYPES.size() + " types in "
                + millis + " ms; " + accepted + " decoded, rejected by reason: " + reasons);

        // the mutations reach every rule of the codec (INVALID_VALUE belongs to decoders built on top of it, such as
        // the registry's, which check rules of their own types)
        Set<Reason> missing = EnumSet.complementOf(EnumSet.of(Reason.INVALID_VALUE));
        missing.removeAll(reasons.keySet());
        assertTrue(missing.isEmpty(), "no input was rejected for " + missing);
        assertTrue(accepted > 0, "some mutated inputs are still valid");
    }

    /** Decodes {@code input} as a whole message; the reason it was rejected, or null if it decoded. */
    private static Reason decodeOnce(Subject s, byte[] input, boolean cobs, boolean alsoDirect) {
        Codec<Object> codec = s.type().codec();
        try {
            Object value = cobs ? Postcard.decodeCobs(codec, input) : Postcard.decode(codec, input);
            if (s.text().equals(ZERO_SIZED)) {
                return null;
            }
            if (alsoDirect && !cobs) {
                Object direct = Postcard.decode(codec, PostcardConformanceTest.directBuffer(input));
                assertTrue(ValueNotation.deepEquals(value, direct), "direct buffer decoded differently");
            }
            byte[] again = cobs ? Postcard.encodeCobs(codec, value) : Postcard.encode(codec, value);
            Object back = cobs ? Postcard.decodeCobs(codec, again) : Postcard.decode(codec, again);
            assertTrue(ValueNotation.deepEquals(value, back), () -> "re-encoded " + ValueNotation.hex(again) + " decodes to "
                    + ValueNotation.show(back) + ", not " + ValueNotation.show(value));
            return null;
        } catch (DecodeException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= input.length,
                    () -> "offset outside the input: " + e.getMessage());
            if (alsoDirect && !cobs) {
                try {
                    Postcard.decode(codec, PostcardConformanceTest.directBuffer(input));
                    fail("a direct buffer decoded what a heap array rejected: " + e.getMessage());
                } catch (DecodeException d) {
                    assertEquals(e.getMessage(), d.getMessage(), "a direct buffer fails the same way");
                } catch (Throwable t) {
                    fail(failure(s, input, cobs, t), t);
                }
            }
            return e.reason();
        } catch (Throwable t) {
            return fail(failure(s, input, cobs, t), t);
        }
    }

    private static String failure(Subject s, byte[] input, boolean cobs, Throwable t) {
        return "decoding " + (cobs ? "cobs<" + s.text() + ">" : s.text()) + " from hex " + ValueNotation.hex(input)
                + " threw " + t;
    }

    private static final byte[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x04, 0x7F, (byte) 0x80, (byte) 0x81,
        (byte) 0xC0, (byte) 0xED, (byte) 0xF4, (byte) 0xFE, (byte) 0xFF};
    private static final byte[][] VARINTS = {
        ValueNotation.unhex("ffffffff0f"), ValueNotation.unhex("ffffffffffffffffff01"), ValueNotation.unhex("8080808008"),
        ValueNotation.unhex("ffffffff07"), ValueNotation.unhex("80808080808080808080"), ValueNotation.unhex("ff7f")};

    /** One to three stacked mutations of {@code seed}. */
    static byte[] mutate(Random rnd, byte[] seed, List<byte[]> others) {
        byte[] b = seed;
        int rounds = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
        for (int round = 0; round < rounds; round++) {
            b = mutateOnce(rnd, b, others);
        }
        return b;
    }

    private static byte[] mutateOnce(Random rnd, byte[] b, List<byte[]> others) {
        int n = b.length;
        switch (rnd.nextInt(10)) {
            case 0:
            case 1: {
                if (n == 0) {
                    return new byte[] {(byte) rnd.nextInt()};
                }
                byte[] out = b.clone();
                out[rnd.nextInt(n)] ^= (byte) (1 << rnd.nextInt(8));
                return out;
            }
            case 2: {
                if (n == 0) {
                    return new byte[] {INTERESTING[rnd.nextInt(INTERESTING.length)]};
                }
                byte[] out = b.clone();
                out[rnd.nextInt(n)] = rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)]
                        : (byte) rnd.nextInt();
                return out;
            }
            case 3:
                return Arrays.copyOf(b, n == 0 ? 0 : rnd.nextInt(n));
            case 4: {
                byte[] extra = new byte[1 + rnd.nextInt(4)];
                rnd.nextBytes(extra);
                return splice(b, rnd.nextInt(n + 1), 0, extra);
            }
            case 5: {
                if (n == 0) {
                    return b;
                }
                int at = rnd.nextInt(n);
                return splice(b, at, 1 + rnd.nextInt(Math.min(8, n - at)), new byte[0]);
            }
            case 6: {
                if (n == 0) {
                    return b;
                }
                int at = rnd.nextInt(n);
                byte[] copy = Arrays.copyOfRange(b, at, at + 1 + rnd.nextInt(Math.min(8, n - at)));
                return splice(b, rnd.nextInt(n + 1), 0, copy);
            }
            case 7: {
                byte[] varint = VARINTS[rnd.nextInt(VARINTS.length)];
                int at = rnd.nextInt(n + 1);
                return splice(b, at, Math.min(rnd.nextInt(3), n - at), varint);
            }
            case 8: {
                byte[] other = others.get(rnd.nextInt(others.size()));
                int cut = rnd.nextInt(n + 1);
                int from = rnd.nextInt(other.length + 1);
                byte[] out = Arrays.copyOf(b, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            default: {
                byte[] out = new byte[rnd.nextInt(24)];
                rnd.nextBytes(out);
                return out;
            }
        }
    }

    /** {@code b} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
