package io.rapace.processor;

import static io.rapace.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Odd but compilable inputs: the processor reports a problem on an element, and never fails itself. */
class OddInputsTest {

    private static final String IMPORTS = """
            package p;

            import io.rapace.annotation.*;
            import io.rapace.rpc.RpcStream;
            import java.util.*;

            """;

    @ParameterizedTest
    @ValueSource(strings = {
        "@RapaceService public @interface Svc { }",
        "@RapaceService public enum Svc { A }",
        "@RapaceService public record Svc(int a) { }",
        "@RapaceService public interface Svc { void put(E e); enum E { } }",
        "@RapaceService public interface Svc { void put(@Fixed(0) int[] a); }",
        "@RapaceService public interface Svc { void put(S s); sealed interface S permits C { } final class C implements S { } }",
        "@RapaceService public interface Svc { void put(R<String> r); record R<T>(T t) { } }",
        "@RapaceService public interface Svc { <T> void put(T t); }",
        "@RapaceService public interface Svc { void put(Map<String, List<Optional<RpcStream<String>>>> m); }",
        "@RapaceService public interface Svc { RpcStream<String> both(RpcStream<String> a, int b); }",
        "@RapaceService public interface Svc { void put(@Unsigned @CodePoint int a); }",
        "@RapaceService public interface Svc { void put(@Unsigned double a); }",
        "@RapaceService public interface Svc { @RapaceMethod(name = \"a..b\") void put(); }",
        "@RapaceService(version = \"01.0\") public interface Svc { void put(); }",
        "@RapaceService public interface Svc { @RapaceMethod(kind = {MethodKind.UNARY, MethodKind.BIDI_STREAMING}) void put(); }",
        "@RapaceService public interface Svc { void put(Object o); Void get(); OptionalInt i(); }",
        "@RapaceService public interface Svc { @RapaceMethod(name = \"x\") void a(); @RapaceMethod(name = \"x\") void b(); }",
    })
    void reportsOnAnElementAndNeverFails(String body) {
        RapaceProcessor processor = new RapaceProcessor();
        Compilation compilation = Sources.compile(processor, source("p.Svc", IMPORTS + body + "\n"));
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            String message = error.getMessage(Locale.ROOT);
            errors.add(message);
            assertFalse(message.startsWith("rapace processor failed"), message);
            assertFalse(error.getSource() == null, "no element for: " + message);
        }
        assertFalse(errors.isEmpty(), "no error for " + body);
        assertEquals(List.of(), processor.schemas(), "generated despite " + errors);
    }
}
