package io.rapace.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/** Annotated sources for the tests, and the javac run they share: the processor, with warnings as errors. */
final class Sources {

    private Sources() {
    }

    static JavaFileObject source(String className, String text) {
        return JavaFileObjects.forSourceString(className, text);
    }

    /** Compiles {@code sources} with {@code processor} under {@code -Xlint:all,-processing -Werror}. */
    static Compilation compile(RapaceProcessor processor, JavaFileObject... sources) {
        List<String> options = new ArrayList<>(List.of("-Xlint:all,-processing", "-Werror"));
        return Compiler.javac().withProcessors(processor).withOptions(options).compile(sources);
    }

    static Compilation compile(JavaFileObject... sources) {
        return compile(new RapaceProcessor(), sources);
    }

    /** Every construct the processor maps, in one package. */
    static List<JavaFileObject> kitchenSink() {
        return List.of(
                source("sink.Sink", """
                        package sink;

                        import io.rapace.annotation.CodePoint;
                        import io.rapace.annotation.Fixed;
                        import io.rapace.annotation.MethodKind;
                        import io.rapace.annotation.RapaceMethod;
                        import io.rapace.annotation.RapaceService;
                        import io.rapace.annotation.Unsigned;
                        import io.rapace.rpc.RpcStream;
                        import java.math.BigInteger;
                        import java.util.List;
                        import java.util.Map;
                        import java.util.Optional;

                        /** Every construct. */
                        @RapaceService(name = "sink.KitchenSink", version = "2.1")
                        public interface Sink {
                            /** Pings the peer. */
                            void ping();

                            @RapaceMethod(id = 1000, name = "Math.add")
                            long add(long a, long b);

                            Scalars scalars(Scalars request);

                            Composites composites(Composites request);

                            Shape shape(Shape request);

                            Color color(Color request);

                            Optional<Tree> tree(Tree request);

                            @Unsigned BigInteger big(@Unsigned BigInteger request);

                            List<@CodePoint Integer> letters(@CodePoint int request);

                            @Unsigned byte @Fixed(2) [] @Fixed(2) [] fixed(@Fixed(3) @Unsigned int[] request);

                            Map<String, byte[]> lookup(List<String> keys, Map<String, Optional<byte[]>> table);

                            @Unsigned long upload(RpcStream<byte[]> requests);

                            @RapaceMethod(kind = MethodKind.CLIENT_STREAMING)
                            void drain(RpcStream<String> requests);

                            RpcStream<@Unsigned Integer> count(@Unsigned int limit);

                            RpcStream<Shape> chat(RpcStream<Color> requests);

                            @RapaceMethod(id = 0xFFFFFFFF)
                            Outer.Nested nested(Outer.Nested request);
                        }
                        """),
                source("sink.Scalars", """
                        package sink;

                        import io.rapace.annotation.CodePoint;
                        import io.rapace.annotation.Unsigned;
                        import java.math.BigInteger;

                        /** One of each scalar. */
                        public record Scalars(boolean flag, byte i8, @Unsigned byte u8, short i16, @Unsigned short u16,
                                int i32, @Unsigned int u32, long i64, @Unsigned long u64, BigInteger i128,
                                @Unsigned BigInteger u128, float f32, double f64, @CodePoint int letter, String text,
                                byte[] bytes, Integer boxed) {
                        }
                        """),
                source("sink.Composites", """
                        package sink;

                        import io.rapace.annotation.Fixed;
                        import io.rapace.annotation.Unsigned;
                        import java.util.List;
                        import java.util.Map;
                        import java.util.Optional;

                        public record Composites(Optional<String> maybe, List<Long> longs, Map<String, Integer> counts,
                                @Fixed(4) @Unsigned byte[] id, List<@Unsigned Long> unsigned,
                                Map<Color, List<Scalars>> byColor, @Fixed(2) String[] pair) {
                        }
                        """),
                source("sink.Shape", """
                        package sink;

                        /** A shape. */
                        public sealed interface Shape permits Shape.Circle, Shape.Square, Shape.Point {
                            /** Round. */
                            record Circle(double radius) implements Shape {
                            }

                            record Square(double side) implements Shape {
                            }

                            record Point() implements Shape {
                            }
                        }
                        """),
                source("sink.Color", """
                        package sink;

                        public enum Color {
                            RED,
                            DARK_GREEN,
                            BLUE
                        }
                        """),
                source("sink.Tree", """
                        package sink;

                        import java.util.List;

                        public record Tree(String label, List<Tree> children) {
                        }
                        """),
                source("sink.Outer", """
                        package sink;

                        public final class Outer {
                            private Outer() {
                            }

                            public record Nested(int value) {
                            }
                        }
                        """),
                source("sink.Second", """
                        package sink;

                        import io.rapace.annotation.RapaceService;

                        /** A second service sharing the types of the first. */
                        @RapaceService
                        public interface Second {
                            Color pick(Shape shape, Tree tree);
                        }
                        """));
    }
}
