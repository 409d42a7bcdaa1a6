package io.rapace.processor;

import static io.rapace.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Each problem is reported, whole, on its element and line; the service with it gets no files; javac goes on. */
class DiagnosticsTest {

    private static final String HEADER = """
            package p;

            import io.rapace.annotation.MethodKind;
            import io.rapace.annotation.RapaceMethod;
            import io.rapace.annotation.RapaceService;
            import io.rapace.rpc.RpcStream;
            import java.util.List;

            """;

    /** A service {@code p.Svc} whose body starts on line 10 of its file. */
    private static JavaFileObject service(String body) {
        return source("p.Svc", HEADER + "@RapaceService\npublic interface Svc {\n" + body + "}\n");
    }

    private static List<String> ours(Compilation compilation) {
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            String file = error.getSource() == null ? "?" : error.getSource().getName();
            errors.add(file.substring(file.lastIndexOf('/') + 1) + ":" + error.getLineNumber() + ":"
                    + error.getColumnNumber() + ": " + error.getMessage(Locale.ROOT));
        }
        return errors;
    }

    private RapaceProcessor processor;

    private Compilation compile(JavaFileObject... sources) {
        processor = new RapaceProcessor();
        return Sources.compile(processor, sources);
    }

    /** {@code compilation} has the error {@code file:line: message}, word for word, and nothing was generated. */
    private void assertError(Compilation compilation, String fileAndLine, String message) {
        List<String> errors = ours(compilation);
        for (String error : errors) {
            if (error.startsWith(fileAndLine + ":") && error.endsWith(": " + message)) {
                assertEquals(List.of(), processor.schemas(), "handed to the generator despite the error");
                return;
            }
        }
        fail("no error " + fileAndLine + ": " + message + "\namong:\n" + String.join("\n", errors));
    }

    @Test
    void reportsAnUnsupportedTypeWithWhatToUseInstead() {
        Compilation compilation = compile(service("""
                    java.util.Set<String> tags();

                    char initial();

                    int[] values();

                    java.util.Date when();
                """));
        assertError(compilation, "Svc.java:11", "unsupported type Set: use List<T>");
        assertError(compilation, "Svc.java:13", "unsupported type char: a Java char is a UTF-16 unit, not a"
                + " character; use @CodePoint int for an IDL char, or String");
        assertError(compilation, "Svc.java:15", "array int[] needs a length: use @Fixed(N) for [T; N], or List<T>");
        assertError(compilation, "Svc.java:17", "unsupported type java.util.Date: use a record (struct), an enum"
                + " (unit enum), a sealed interface of records with an explicit permits clause (enum with data),"
                + " String, BigInteger, a primitive or its box, byte[], a @Fixed array, Optional, List or Map");
        assertEquals(4, compilation.errors().size(), String.join("\n", ours(compilation)));
    }

    @Test
    void reportsAMutableClass() {
        Compilation compilation = compile(service("""
                    void put(Box box);
                """), source("p.Box", """
                package p;

                public class Box {
                    public int value;
                }
                """));
        assertError(compilation, "Svc.java:11", "mutable class p.Box is not supported: message types are immutable;"
                + " make it a record (struct), an enum, or a sealed interface of records (enum with data)");
    }

    @Test
    void reportsRawAndWildcardGenerics() {
        Compilation compilation = compile(service("""
                    @SuppressWarnings("rawtypes")
                    List names();

                    List<? extends Number> numbers();
                """));
        assertError(compilation, "Svc.java:12", "raw type List: give its type arguments, e.g. List<String>");
        assertError(compilation, "Svc.java:14", "wildcard type java.util.List<? extends java.lang.Number> is not"
                + " supported: name the element type, e.g. List<String>");
    }

    @Test
    void reportsADuplicateIdOnTheAnnotationValue() {
        Compilation compilation = compile(service("""
                    @RapaceMethod(id = 7)
                    void first();

                    @RapaceMethod(id = 7)
                    void second();
                """));
        // Column 24 is the 7 of the second "id = 7": javac puts the caret on the value.
        assertError(compilation, "Svc.java:14:24", "duplicate method id 7 (first used by Svc.first in p.Svc)");
    }

    @Test
    void reportsADefaultIdThatFoldsToZero() {
        Compilation compilation = compile(source("p.Zero", HEADER + """
                @RapaceService
                public interface Zero {
                    void k2kUtd();
                }
                """));
        assertError(compilation, "Zero.java:11", "the default id of Zero.k2kUtd (FNV-1a of \"Zero.k2kUtd\" folded to"
                + " 32 bits) is 0, which is reserved: give the method an explicit id, e.g. @RapaceMethod(id = 1)");
    }

    @Test
    void reportsCollidingDefaultIds() {
        Compilation compilation = compile(source("p.Clash", HEADER + """
                @RapaceService
                public interface Clash {
                    void m52919();

                    void m133851();
                }
                """));
        assertError(compilation, "Clash.java:13", "the default id 1994161765 of Clash.m133851 collides with the id of"
                + " Clash.m52919 in p.Clash: give one of them an explicit id with @RapaceMethod(id = ...)");
    }

    @Test
    void reportsASignatureThatDoesNotMatchTheDeclaredKind() {
        Compilation compilation = compile(service("""
                    @RapaceMethod(kind = MethodKind.SERVER_STREAMING)
                    String echo(String text);

                    @RapaceMethod(kind = MethodKind.UNARY)
                    void upload(RpcStream<String> chunks);
                """));
        assertError(compilation, "Svc.java:11", "method echo is declared SERVER_STREAMING but its signature is UNARY:"
                + " a server-streaming method returns RpcStream<R> and takes no stream");
        assertError(compilation, "Svc.java:14", "method upload is declared UNARY but its signature is"
                + " CLIENT_STREAMING: a unary method neither takes nor returns an RpcStream");
    }

    @Test
    void reportsOverloadedMethodNames() {
        Compilation compilation = compile(service("""
                    void send(String text);

                    void send(int number);
                """));
        assertError(compilation, "Svc.java:13", "overloaded method name send: each method of a service needs its"
                + " own name (another send is declared in p.Svc)");
    }

    @Test
    void reportsAGenericServiceInterface() {
        Compilation compilation = compile(source("p.Generic", HEADER + """
                @RapaceService
                public interface Generic<T> {
                    void put(String value);
                }
                """));
        assertError(compilation, "Generic.java:10", "generic service interface Generic is not supported: a service's"
                + " parameter and result types must be concrete; remove the type parameters");
    }

    @Test
    void reportsASealedInterfaceWithoutPermits() {
        Compilation compilation = compile(service("""
                    void draw(Shape shape);
                """), source("p.Shape", """
                package p;

                public sealed interface Shape {
                    record Circle(double radius) implements Shape {
                    }
                }
                """));
        assertError(compilation, "Shape.java:3", "sealed interface Shape needs an explicit permits clause: its order"
                + " is the variant index order on the wire, e.g. sealed interface Shape permits A, B");
    }

    @Test
    void reportsATypeTheGeneratedCodeCannotReach() {
        Compilation compilation = compile(source("p.Holder", HEADER + """
                public final class Holder {
                    private Holder() {
                    }

                    private record Hidden(int value) {
                    }

                    @RapaceService
                    public interface Svc {
                        void put(Hidden hidden);
                    }
                }
                """));
        assertError(compilation, "Holder.java:13", "p.Holder.Hidden is private, so the generated code cannot reach"
                + " it: make it package-private or public");
    }

    @Test
    void reportsATypeThatCannotBeFound() {
        Compilation compilation = compile(service("""
                    void put(Missing missing);
                """));
        assertError(compilation, "Svc.java:10", "service Svc names a type that cannot be found: check its imports,"
                + " and whether the processor that should generate it ran");
    }

    @Test
    void failsAServiceThatReachesABadTypeThroughACycle() {
        // A -> B -> A: B is read to the end while A is still being read; then A fails. A service naming only B
        // reaches A, so it fails too, and the error stays on A's component.
        Compilation compilation = compile(service("""
                    void put(A a);
                """), source("p.Other", HEADER + """
                @RapaceService
                public interface Other {
                    void put(B b);
                }
                """), source("p.A", """
                package p;

                public record A(B b, Box box) {
                }
                """), source("p.B", """
                package p;

                public record B(java.util.Optional<A> a) {
                }
                """), source("p.Box", """
                package p;

                public final class Box {
                }
                """));
        assertError(compilation, "A.java:3", "mutable class p.Box is not supported: message types are immutable;"
                + " make it a record (struct), an enum, or a sealed interface of records (enum with data)");
        assertEquals(1, compilation.errors().size(), String.join("\n", ours(compilation)));
    }

    @Test
    void reportsAnAnnotatedClass() {
        Compilation compilation = compile(source("p.Impl", HEADER + """
                @RapaceService
                public class Impl {
                }
                """));
        assertError(compilation, "Impl.java:10", "@RapaceService goes on an interface, but Impl is a class: declare"
                + " the service as an interface and implement it");
    }

    @Test
    void reportsEveryProblemInOneCompilationAndStillGeneratesTheGoodService() {
        Compilation compilation = compile(service("""
                    char initial();

                    @RapaceMethod(id = 7)
                    void first();

                    @RapaceMethod(id = 7)
                    void second();

                    void send(String text);

                    void send(int number);
                """), source("p.Good", HEADER + """
                @RapaceService
                public interface Good {
                    String echo(String text);
                }
                """));
        assertEquals(List.of(
                "Svc.java:11:10: unsupported type char: a Java char is a UTF-16 unit, not a character; use"
                        + " @CodePoint int for an IDL char, or String",
                "Svc.java:21:10: overloaded method name send: each method of a service needs its own name (another"
                        + " send is declared in p.Svc)",
                "Svc.java:16:24: duplicate method id 7 (first used by Svc.first in p.Svc)"), ours(compilation));
        assertEquals(1, processor.schemas().size());
        assertEquals("p.Good", processor.schemas().get(0).services().get(0).name());
        assertEquals(1, processor.schemas().get(0).services().size());
    }
    @Test
    void reportsEveryProblemOfOneMethodAndOfAnOverloadedOne() {
        Compilation compilation = compile(service("""
                    @RapaceMethod(id = 7)
                    void first();

                    @RapaceMethod(id = 7)
                    java.util.Set<String> second();

                    void third(java.util.Date when);

                    void send(String text);

                    void send(char letter);
                """));
        assertEquals(List.of(
                "Svc.java:15:27: unsupported type Set: use List<T>",
                "Svc.java:17:31: unsupported type java.util.Date: use a record (struct), an enum (unit enum), a"
                        + " sealed interface of records with an explicit permits clause (enum with data), String,"
                        + " BigInteger, a primitive or its box, byte[], a @Fixed array, Optional, List or Map",
                "Svc.java:21:10: overloaded method name send: each method of a service needs its own name (another"
                        + " send is declared in p.Svc)",
                "Svc.java:21:20: unsupported type char: a Java char is a UTF-16 unit, not a character; use"
                        + " @CodePoint int for an IDL char, or String",
                "Svc.java:14:24: duplicate method id 7 (first used by Svc.first in p.Svc)"), ours(compilation));
        assertEquals(List.of(), processor.schemas());
    }

    @Test
    void reportsAClassNamedLikeOneTheProcessorWritesBesideIt() {
        Compilation compilation = compile(service("""
                    Point where(Point point);
                """), source("p.Point", """
                package p;

                public record Point(int x, int y) {
                }
                """), source("p.SvcClient", """
                package p;

                public final class SvcClient {
                }
                """), source("p.PointCodec", """
                package p;

                final class PointCodec {
                }
                """));
        assertError(compilation, "SvcClient.java:3", "p.SvcClient is the name of the client that rapace generates for"
                + " service p.Svc: rename this class");
        assertError(compilation, "PointCodec.java:3", "p.PointCodec is the name of the codec that rapace generates"
                + " for p.Point: rename this class");
        assertEquals(2, compilation.errors().size(), String.join("\n", ours(compilation)));
    }

    @Test
    void reportsAMemberClassThatWouldHideAClassTheClientNames() {
        Compilation compilation = compile(service("""
                    p.Stats stats();

                    record Stats(int count) {
                    }

                    record SvcDescriptor() {
                    }
                """), source("p.Stats", """
                package p;

                public record Stats(long sum) {
                }
                """));
        assertError(compilation, "Svc.java:13", "member class Stats of p.Svc hides p.Stats inside the client that"
                + " rapace generates, which implements Svc and so inherits its member classes: rename one of them");
        assertError(compilation, "Svc.java:16", "member class SvcDescriptor of p.Svc hides p.SvcDescriptor inside the"
                + " client that rapace generates, which implements Svc and so inherits its member classes: rename one"
                + " of them");
        assertEquals(2, compilation.errors().size(), String.join("\n", ours(compilation)));
    }
}
