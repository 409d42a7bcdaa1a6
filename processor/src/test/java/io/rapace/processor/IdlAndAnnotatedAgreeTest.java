package io.rapace.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.rapace.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.rapace.codec.Codec;
import io.rapace.codec.PostcardWriter;
import io.rapace.idl.gen.GeneratedFile;
import io.rapace.idl.gen.GeneratorOptions;
import io.rapace.idl.gen.JavaGenerator;
import io.rapace.idl.model.Method;
import io.rapace.idl.model.Schema;
import io.rapace.idl.parse.IdlParser;
import io.rapace.registry.ServiceDescriptor;
import io.rapace.registry.ServiceRegistry;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One service written once as IDL and once as annotated Java: same model, ids, registry text and bytes. */
class IdlAndAnnotatedAgreeTest {

    private static final String IDL = """
            package same;

            /// How a note feels.
            enum Mood { Happy, Sad, }

            /// A note on the board.
            struct Note {
                text: string,
                mood: Mood,
                tags: list<string>,
                weight: option<u32>,
                id: [u8; 4],
            }

            enum Event {
                Posted { note: Note },
                Cleared,
            }

            /// The board.
            service Board "same.Board" version 1.2 {
                /// Posts a note.
                unary post(Note) -> u64 = 10;
                server_streaming events(since: u64, mood: option<Mood>) -> Event;
                client_streaming Bulk.load(Note) -> u32;
            }
            """;

    private static List<JavaFileObject> annotated() {
        return List.of(
                source("same.Mood", """
                        package same;

                        /** How a note feels. */
                        public enum Mood { HAPPY, SAD }
                        """),
                source("same.Note", """
                        package same;

                        import io.rapace.annotation.Fixed;
                        import io.rapace.annotation.Unsigned;
                        import java.util.List;
                        import java.util.Optional;

                        /** A note on the board. */
                        public record Note(String text, Mood mood, List<String> tags,
                                Optional<@Unsigned Integer> weight, @Fixed(4) @Unsigned byte[] id) {
                        }
                        """),
                source("same.Event", """
                        package same;

                        public sealed interface Event permits Event.Posted, Event.Cleared {
                            record Posted(Note note) implements Event {
                            }

                            record Cleared() implements Event {
                            }
                        }
                        """),
                source("same.Board", """
                        package same;

                        import io.rapace.annotation.RapaceMethod;
                        import io.rapace.annotation.RapaceService;
                        import io.rapace.annotation.Unsigned;
                        import io.rapace.rpc.RpcStream;
                        import java.util.Optional;

                        /** The board. */
                        @RapaceService(name = "same.Board", version = "1.2")
                        public interface Board {
                            /** Posts a note. */
                            @RapaceMethod(id = 10)
                            @Unsigned long post(Note request);

                            RpcStream<Event> events(@Unsigned long since, Optional<Mood> mood);

                            @RapaceMethod(name = "Bulk.load")
                            @Unsigned int load(RpcStream<Note> notes);
                        }
                        """));
    }

    private static Compilation compileIdl(Schema schema) {
        List<JavaFileObject> sources = new ArrayList<>();
        for (GeneratedFile file : JavaGenerator.generate(schema, GeneratorOptions.DEFAULT)) {
            if (file.kind() == GeneratedFile.Kind.SOURCE) {
                String className = file.path().substring(0, file.path().length() - 5).replace('/', '.');
                sources.add(JavaFileObjects.forSourceString(className, file.content()));
            }
        }
        return Compiler.javac().withOptions("-Xlint:all", "-Werror").compile(sources);
    }

    /** The same note and events, built in {@code loader}'s classes, encoded by its generated codecs. */
    private static List<byte[]> encodings(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> mood = loader.loadClass("same.Mood");
        Object sad = mood.getEnumConstants()[1];
        Constructor<?> note = loader.loadClass("same.Note").getConstructors()[0];
        Object value = note.newInstance("tea at 5", sad, List.of("a", "b"), Optional.of(-1),
                new byte[] {1, 2, (byte) 0xFE, (byte) 0xFF});
        Object posted = loader.loadClass("same.Event$Posted").getConstructors()[0].newInstance(value);
        Object cleared = loader.loadClass("same.Event$Cleared").getConstructors()[0].newInstance();
        List<byte[]> bytes = new ArrayList<>();
        bytes.add(encode(loader, "same.NoteCodec", value));
        bytes.add(encode(loader, "same.EventCodec", posted));
        bytes.add(encode(loader, "same.EventCodec", cleared));
        bytes.add(encode(loader, "same.MoodCodec", sad));
        return bytes;
    }

    @SuppressWarnings("unchecked")
    private static byte[] encode(ClassLoader loader, String codecClass, Object value)
            throws ReflectiveOperationException {
        Codec<Object> codec = (Codec<Object>) loader.loadClass(codecClass).getField("CODEC").get(null);
        PostcardWriter out = PostcardWriter.growable(64);
        codec.encode(out, value);
        return out.toByteArray();
    }

    private static String describe(ClassLoader loader) throws ReflectiveOperationException {
        ServiceDescriptor descriptor = (ServiceDescriptor) loader.loadClass("same.BoardDescriptor")
                .getConstructor().newInstance();
        return ServiceRegistry.of(List.of(descriptor)).describe();
    }

    @Test
    void bothFrontEndsGiveTheSameModelIdsRegistryTextAndBytes() throws ReflectiveOperationException {
        Schema fromIdl = IdlParser.parse("same.rapace", IDL).schemaOrThrow();
        RapaceProcessor processor = new RapaceProcessor();
        Compilation javaCompilation = Sources.compile(processor, annotated().toArray(new JavaFileObject[0]));
        assertThat(javaCompilation).succeededWithoutWarnings();
        Schema fromJava = processor.schemas().get(0);

        assertEquals(SchemaView.of(fromIdl), SchemaView.of(fromJava));
        List<Integer> idlIds = new ArrayList<>();
        List<Integer> javaIds = new ArrayList<>();
        fromIdl.services().get(0).methods().stream().map(Method::id).forEach(idlIds::add);
        fromJava.services().get(0).methods().stream().map(Method::id).forEach(javaIds::add);
        assertEquals(idlIds, javaIds);

        Compilation idlCompilation = compileIdl(fromIdl);
        assertThat(idlCompilation).succeededWithoutWarnings();
        ClassLoader idlClasses = new CompiledClasses(idlCompilation);
        ClassLoader javaClasses = new CompiledClasses(javaCompilation);
        assertEquals(describe(idlClasses), describe(javaClasses));
        assertEquals("""
                Service: same.Board v1.2
                  - post (10): Unary
                """, describe(javaClasses).lines().limit(2).reduce("", (a, b) -> a + b + "\n"));
        List<byte[]> idlBytes = encodings(idlClasses);
        List<byte[]> javaBytes = encodings(javaClasses);
        for (int i = 0; i < idlBytes.size(); i++) {
            assertArrayEquals(idlBytes.get(i), javaBytes.get(i), "value " + i);
        }
        assertArrayEquals(new byte[] {1}, idlBytes.get(2), "Cleared is variant index 1 and no fields");
    }
}
