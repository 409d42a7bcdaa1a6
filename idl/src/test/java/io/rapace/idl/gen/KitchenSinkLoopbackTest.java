package io.rapace.idl.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rapace.codec.Codec;
import io.rapace.codec.Postcard;
import io.rapace.codec.Unit;
import io.rapace.rpc.Loopback;
import io.rapace.rpc.RpcStream;
import io.rapace.sink.Composites;
import io.rapace.sink.CompositesCodec;
import io.rapace.sink.Echo;
import io.rapace.sink.EchoClient;
import io.rapace.sink.EchoDispatcher;
import io.rapace.sink.Empty;
import io.rapace.sink.GetRequest;
import io.rapace.sink.GetResponse;
import io.rapace.sink.Keywords;
import io.rapace.sink.KitchenSinkClient;
import io.rapace.sink.KitchenSinkDispatcher;
import io.rapace.sink.LogLevel;
import io.rapace.sink.LogRequest;
import io.rapace.sink.Message;
import io.rapace.sink.MessageCodec;
import io.rapace.sink.Shadows;
import io.rapace.sink.Shape;
import io.rapace.sink.Tricky;
import io.rapace.sink.types.Color;
import io.rapace.sink.types.Expr;
import io.rapace.sink.types.Scalars;
import io.rapace.sink.types.ScalarsCodec;
import io.rapace.sink.types.Tree;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every method of the generated kitchen sink (build-time output of {@code src/test/resources/idl/sink.rapace}),
 * blocking and async, called through its generated client over the loopback, served by its generated dispatcher,
 * with every request and answer crossing as postcard bytes through the generated codecs.
 */
@Timeout(60)
class KitchenSinkLoopbackTest {
    private Loopback loopback;
    private KitchenSinkImplementation implementation;
    private KitchenSinkClient sink;

    @BeforeEach
    void serve() {
        loopback = Loopback.create();
        implementation = new KitchenSinkImplementation();
        loopback.server().serve(new KitchenSinkDispatcher(implementation));
        loopback.server().serve(new EchoDispatcher(request -> request + request));
        sink = new KitchenSinkClient(loopback.client());
    }

    @AfterEach
    void close() {
        loopback.close();
    }

    static Scalars scalars() {
        return new Scalars(true, (byte) -128, (short) -2, -3, Long.MIN_VALUE, BigInteger.ONE.shiftLeft(127).negate(),
                (byte) 0xFF, (short) 0xFFFF, -1, -1L, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE),
                Float.intBitsToFloat(0x7FC00001), -0.0, 0x1F980, "caf\u00e9 \uD83E\uDD80", new byte[] {0, -1, 7});
    }

    static Tree tree() {
        Tree leaf = new Tree("leaf", List.of(), Optional.of("root"), Optional.empty());
        return new Tree("root", List.of(leaf, leaf), Optional.empty(), Optional.of(leaf));
    }

    static Composites composites() {
        Map<String, Long> byName = new LinkedHashMap<>();
        byName.put("b", 2L);
        byName.put("a", -1L);
        Map<Color, List<Optional<Short>>> byColor = new LinkedHashMap<>();
        byColor.put(Color.HTTP_STATUS, List.of(Optional.of((short) 0xFFFF), Optional.empty()));
        byColor.put(Color.RED, List.of());
        return new Composites(Optional.of(-1), Optional.of(new byte[] {1, 2}), List.of("x", ""),
                List.of(0x41, 0x10FFFF), byName, byColor,
                Optional.of(List.of(Map.of("k", new byte[] {1, 2, 3, 4}))), new byte[] {9, 8, 7, 6},
                new byte[] {-1, 1}, new boolean[] {true, false, true}, new short[] {-1, 1},
                new short[] {(short) 0xFFFF, 0}, new int[] {Integer.MIN_VALUE, 0}, new int[] {-1, 1},
                new int[] {'a', 0x1F600}, new long[] {Long.MIN_VALUE, 0}, new long[] {-1, 2}, new float[] {1.5f, -0f},
                new double[] {Math.PI, Double.NaN}, new BigInteger[] {BigInteger.ZERO, BigInteger.TEN},
                new String[] {"one", "two"}, new byte[][] {{}, {1}}, new byte[][] {{1, 2}, {3, 4}, {5, 6}},
                new double[][] {{1, 0}, {0, 1}}, lists(), new Tree[] {tree()},
                new Color[] {Color.DARK_BLUE, Color.GREEN});
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] lists() {
        return (List<String>[]) new List<?>[] {List.of("a"), List.of()};
    }

    /** Two values are the same message when they encode to the same bytes (arrays inside collections included). */
    private static <T> void assertSameEncoding(Codec<T> codec, T expected, T actual) {
        assertArrayEquals(Postcard.encode(codec, expected), Postcard.encode(codec, actual));
    }

    @Test
    void callsEveryUnaryMethodBlockingAndAsync() throws Exception {
        sink.ping();
        sink.pingAsync().get();
        assertEquals(2, implementation.pings.get());
        assertEquals(Unit.UNIT, sink.pingAsync().get());

        assertEquals(5, sink.mathAdd(2, 3));
        assertEquals(-1L, sink.mathAddAsync(Long.MAX_VALUE, Long.MIN_VALUE).get());

        assertSameEncoding(ScalarsCodec.CODEC, scalars(), sink.scalars(scalars()));
        assertEquals(scalars(), sink.scalarsAsync(scalars()).get());

        assertSameEncoding(CompositesCodec.CODEC, composites(), sink.composites(composites()));
        assertSameEncoding(CompositesCodec.CODEC, composites(), sink.compositesAsync(composites()).get());

        Keywords keywords = new Keywords("classopts", 42, (byte) 200, false, "opts", (byte) 200, -41);
        assertEquals(keywords, sink.keywords("class", 41, (byte) 200, "opts"));
        assertEquals(keywords, sink.keywordsAsync("class", 41, (byte) 200, "opts").get());

        Shadows shadows = new Shadows(new byte[] {1, 2}, "o", 1, -1);
        Shadows shadowsBack = new Shadows(new byte[] {1, 2}, "o!", 2, 0);
        assertEquals(shadowsBack, sink.shadows(shadows));
        assertEquals(shadowsBack, sink.shadowsAsync(shadows).get());

        assertEquals(new Tricky("*/ @ <b> & \\u0041 */"), sink.tricky(new Tricky("*/ @ <b> & \\u0041")));
        assertEquals(new Tricky("x */"), sink.trickyAsync(new Tricky("x")).get());

        assertEquals(new Empty(), sink.empty(new Empty()));
        assertEquals(new Empty(), sink.emptyAsync(new Empty()).get());

        for (Shape shape : List.of(new Shape.Circle(2.5), new Shape.Poly(-1, List.of(1f, 2f)), new Shape.Nothing(),
                new Shape.Point(), new Shape.String("s"), new Shape.class_())) {
            assertEquals(shape, sink.shape(shape));
            assertEquals(shape, sink.shapeAsync(shape).get());
        }

        assertEquals(Color.GREEN, sink.color(Color.RED));
        assertEquals(Color.RED, sink.colorAsync(Color.HTTP_STATUS).get());

        Expr expr = new Expr.Sum(new Expr.Literal(40), new Expr.Negate(new Expr.Literal(-2)));
        assertEquals(42, sink.evaluate(expr));
        assertEquals(42, sink.evaluateAsync(expr).get());

        assertEquals(Optional.of(tree().children().get(0)), sink.tree(tree()));
        assertEquals(Optional.empty(), sink.treeAsync(tree().children().get(0)).get());

        BigInteger maxU128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        assertEquals(BigInteger.ONE.shiftLeft(127).negate(), sink.big(maxU128));
        assertEquals(BigInteger.valueOf(-5), sink.bigAsync(BigInteger.TEN).get());

        assertEquals(List.of(0x1F600, 0x1F601), sink.letters(0x1F600));
        assertEquals(List.of((int) 'a', (int) 'b'), sink.lettersAsync('a').get());

        assertArrayEquals(new byte[][] {{1, 2}, {3, -1}}, sink.fixed(new int[] {1, 2, 3}));
        assertArrayEquals(new byte[][] {{-1, 0}, {0, -1}}, sink.fixedAsync(new int[] {-1, 0, 0}).get());

        Map<String, Optional<byte[]>> table = new LinkedHashMap<>();
        table.put("a", Optional.of(new byte[] {1}));
        table.put("b", Optional.empty());
        Map<String, byte[]> found = sink.lookup(List.of("b", "a", "c"), table);
        assertEquals(List.of("a"), List.copyOf(found.keySet()));
        assertArrayEquals(new byte[] {1}, found.get("a"));
        assertEquals(List.of("a"), List.copyOf(sink.lookupAsync(List.of("a"), table).get().keySet()));

        Message message = new Message.Log(new LogRequest(LogLevel.WARN, "w"));
        assertEquals(message, sink.message(message));
        Message get = new Message.Get(new GetRequest("k"));
        assertEquals(get, sink.messageAsync(get).get());

        sink.log(LogLevel.ERROR, "disk full");
        sink.logAsync(LogLevel.TRACE, "t").get();
        sink.import_("x.rapace");
        sink.importAsync("y.rapace").get();
        assertEquals(List.of("log ERROR disk full", "log TRACE t", "import x.rapace", "import y.rapace"),
                implementation.received);
    }

    @Test
    void callsEveryStreamingMethod() {
        assertEquals(6, sink.upload(RpcStream.of(new byte[] {1, 2}, new byte[0], new byte[] {3, 4, 5, 6})));

        sink.drain(RpcStream.of("a", "b"));
        assertEquals(List.of("drain a", "drain b"), implementation.received);

        assertEquals(List.of(1, 2, 3), sink.count(3).toList());
        assertEquals(List.of(), sink.count(0).toList());

        assertEquals(List.of(new Shape.Point(), new Shape.Circle(1.5), new Shape.class_()), sink.events().toList());

        assertEquals(List.of("ab", "ab", "ab"), sink.repeat("ab", (byte) 3).toList());
        assertEquals(255, sink.repeat("", (byte) 0xFF).toList().size());

        List<Message> messages = List.of(new Message.GetResp(new GetResponse(Optional.empty())),
                new Message.Log(new LogRequest(LogLevel.INFO, "i")));
        List<Message> echoed = sink.echo(RpcStream.from(messages)).toList();
        assertEquals(messages.size(), echoed.size());
        for (int i = 0; i < messages.size(); i++) {
            assertSameEncoding(MessageCodec.CODEC, messages.get(i), echoed.get(i));
        }

        assertEquals(List.of(Optional.of(1L), Optional.empty(), Optional.of(5L)),
                sink.totals(RpcStream.of(1L, -1L, 5L)).toList());
    }

    @Test
    void servesTwoServicesOnOneLoopback() throws Exception {
        Echo echo = new EchoClient(loopback.client());
        assertEquals("abab", echo.echo("ab"));
        assertEquals("", new EchoClient(loopback.client()).echoAsync("").get());
        assertTrue(sink.withOptions(io.rapace.rpc.CallOptions.DEFAULT) instanceof KitchenSinkClient);
    }
}
