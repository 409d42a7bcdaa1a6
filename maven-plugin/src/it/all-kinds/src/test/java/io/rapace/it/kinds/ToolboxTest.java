package io.rapace.it.kinds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.rapace.it.kinds.model.Empty;
import io.rapace.it.kinds.model.Everything;
import io.rapace.it.kinds.model.Stats;
import io.rapace.it.kinds.shapes.Color;
import io.rapace.it.kinds.shapes.Point;
import io.rapace.it.kinds.shapes.Shape;
import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.Loopback;
import io.rapace.rpc.RpcStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls every method of the generated Toolbox over the loopback, which moves encoded bytes between the two ends. */
class ToolboxTest {

    private static final Point ORIGIN = new Point(0, 0);

    private Loopback loopback;
    private ToolboxClient toolbox;

    @BeforeEach
    void serve() {
        loopback = Loopback.create();
        loopback.server().serve(new ToolboxDispatcher(new Workshop()));
        toolbox = new ToolboxClient(loopback.client());
    }

    @AfterEach
    void close() {
        loopback.close();
    }

    @Test
    void unaryEchoCarriesEveryTypeThroughTheWire() {
        Map<Color, String> palette = new LinkedHashMap<>();
        palette.put(Color.DEEP_SKY_BLUE, "sky");
        palette.put(Color.RED, "");
        Map<String, List<Optional<Long>>> byName = new LinkedHashMap<>();
        byName.put("some", List.of(Optional.of(Long.MIN_VALUE), Optional.empty(), Optional.of(7L)));
        byName.put("none", List.of());
        Everything everything = new Everything(
                true,
                (byte) -128,
                (byte) 0xFF,
                Short.MIN_VALUE,
                (short) 0xFFFF,
                Integer.MIN_VALUE,
                0xFFFFFFFF,
                Long.MIN_VALUE,
                -1L,
                BigInteger.ONE.shiftLeft(127).negate(),
                BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE),
                Float.intBitsToFloat(0x7FC01234),
                Math.PI,
                0x1F980,
                "h\u00e9llo, \u4e16\u754c \uD83E\uDD80",
                new byte[] {0, 1, (byte) 0x80, (byte) 0xFF},
                Optional.of("present"),
                Optional.empty(),
                List.of(new Point(1.5, -2), ORIGIN),
                palette,
                byName,
                new Point[] {ORIGIN, new Point(4, 0), new Point(0, 3)},
                new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF},
                new Shape.Polygon(List.of(ORIGIN, new Point(1, 1))),
                new Empty(),
                true);

        Everything echoed = toolbox.echo(everything);

        assertNotSame(everything, echoed);
        assertEquals(everything, echoed);
        assertEquals(everything.hashCode(), echoed.hashCode());
        assertEquals(0x7FC01234, Float.floatToRawIntBits(echoed.ratio()), "a NaN's payload is kept");
        assertArrayEquals(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}, echoed.digest());
        assertEquals(List.of(Color.DEEP_SKY_BLUE, Color.RED), List.copyOf(echoed.palette().keySet()));
        assertEquals(true, echoed.default_());
    }

    @Test
    void unaryWithNamedParametersAndAnExplicitId() throws Exception {
        assertEquals(16, ToolboxDescriptor.AREA_ID);
        assertEquals(9 * Math.PI, toolbox.area(new Shape.Circle(ORIGIN, 1), 3));
        Shape square = new Shape.Polygon(List.of(ORIGIN, new Point(2, 0), new Point(2, 2), new Point(0, 2)));
        assertEquals(16.0, toolbox.area(square, 2));
        assertEquals(0.0, toolbox.area(new Shape.Nothing(), 2));
        assertEquals(4.0, toolbox.areaAsync(square, 1).get(10, TimeUnit.SECONDS));
    }

    @Test
    void unaryWithoutArgumentOrResult() {
        assertEquals(0, toolbox.resets());
        toolbox.reset();
        toolbox.reset();
        assertEquals(2, toolbox.resets());
    }

    @Test
    void clientStreamingTotalsTheRequests() {
        assertEquals(new Stats(4, -4), toolbox.total(RpcStream.of(1L, 2L, 3L, -10L)));
        assertEquals(new Stats(0, 0), toolbox.total(RpcStream.of()));
    }

    @Test
    void serverStreamingCountsUp() {
        assertEquals(List.of(1, 2, 3, 4, 5), toolbox.countTo(5).toList());
        assertEquals(List.of(), toolbox.countTo(0).toList());
        List<Integer> firstThree = new ArrayList<>();
        try (RpcStream<Integer> counted = toolbox.countTo(1_000_000)) {
            for (int n : counted) {
                firstThree.add(n);
                if (n == 3) {
                    break;
                }
            }
        }
        assertEquals(List.of(1, 2, 3), firstThree);
    }

    @Test
    void bidiStreamingAnswersEveryRequest() {
        List<Color> colors = toolbox.paint(RpcStream.of(
                new Shape.Circle(ORIGIN, 1),
                new Shape.Polygon(List.of(ORIGIN, new Point(1, 0), new Point(0, 1))),
                new Shape.Polygon(List.of()),
                new Shape.Nothing())).toList();
        assertEquals(List.of(Color.RED, Color.GREEN, Color.BLUE, Color.DEEP_SKY_BLUE), colors);
    }

    @Test
    void theGeneratedResourceRegistersTheService() {
        assertEquals("""
                Service: io.rapace.it.Toolbox v2.1
                  - area (16): Unary
                  - resets (17): Unary
                  - reset (332833522): Unary
                  - paint (2187680882): BidiStreaming
                  - echo (3289906792): Unary
                  - total (3832074279): ClientStreaming
                  - count_to (3936560115): ServerStreaming
                """, ServiceRegistry.discover().describe());
    }
}
