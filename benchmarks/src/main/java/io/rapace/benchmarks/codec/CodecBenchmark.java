package io.rapace.benchmarks.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.rapace.benchmarks.codec.protobuf.Messages;
import io.rapace.codec.DecodeException;
import io.rapace.codec.PostcardReader;
import io.rapace.codec.PostcardWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The postcard codec against protobuf-java on the seed's {@code ProcessRequest} (64 B and 4 KiB of {@code data}) and
 * {@code LogRequest}, heap buffers only. For each message and each library:
 *
 * <ul>
 *   <li>{@code encode}: into a buffer allocated once and reused. rapace: {@link PostcardWriter#reset()}, then the
 *       generated-style {@code encode} into a writer over that buffer. protobuf:
 *       {@code writeTo(CodedOutputStream.newInstance(buffer))}, the protobuf-java way of writing into an existing
 *       array (the {@code CodedOutputStream} is a small object per call; protobuf has no reusable one for arrays).
 *       The byte count goes to the {@link Blackhole}.</li>
 *   <li>{@code encodeToArray}: a fresh {@code byte[]} of exactly the encoded size ({@link PostcardWriter#toByteArray()}
 *       after encoding into the reused writer; protobuf's {@code toByteArray()}).</li>
 *   <li>{@code decode}: a whole message from a {@code byte[]} holding exactly its encoding. rapace:
 *       {@link PostcardReader#of(byte[])}, {@code decode}, {@link PostcardReader#expectEnd()}; protobuf:
 *       {@code parseFrom(byte[])}. Both build a fresh message object with a fresh {@code String} (UTF-8 checked)
 *       and a fresh copy of the data ({@code byte[]}, or a copying {@code ByteString}).</li>
 *   <li>{@code roundTrip}: {@code encode} into the reused buffer, then {@code decode} from that same buffer.</li>
 * </ul>
 *
 * <p>The message objects to encode are built once per trial, as a caller that already holds a message would.
 * protobuf-java memoizes a message's serialized size, so repeated encodes of the same object compute it once; rapace
 * measures the string's UTF-8 length on every encode. Run it with {@code -prof gc} to see the bytes allocated per
 * operation. {@code docs/benchmarks.md} has the command and the numbers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CodecBenchmark {
    /** Both sides encode into a buffer of this size: room for the largest message. */
    static final int BUFFER_SIZE = 8192;

    static final long REQUEST_ID = 1_234_567_890_123L;
    static final String OPERATION = "transform";
    static final String LOG_MESSAGE = "[analytics] Processing started for request 1234567890123";

    /** A {@code ProcessRequest} with {@code dataSize} bytes of (seeded) random data. */
    @State(Scope.Thread)
    public static class ProcessRequestState {
        @Param({"64", "4096"})
        public int dataSize;

        ProcessRequest rapaceValue;
        byte[] rapaceBuffer;
        PostcardWriter rapaceWriter;
        byte[] rapaceBytes;

        Messages.ProcessRequest protobufValue;
        byte[] protobufBuffer;
        byte[] protobufBytes;

        @Setup
        public void setUp() throws DecodeException, InvalidProtocolBufferException {
            byte[] data = new byte[dataSize];
            new Random(42).nextBytes(data);
            rapaceValue = new ProcessRequest(REQUEST_ID, OPERATION, data);
            rapaceBuffer = new byte[BUFFER_SIZE];
            rapaceWriter = PostcardWriter.into(ByteBuffer.wrap(rapaceBuffer));
            ProcessRequestCodec.encode(rapaceWriter, rapaceValue);
            rapaceBytes = rapaceWriter.toByteArray();

            protobufValue = Messages.ProcessRequest.newBuilder()
                    .setRequestId(REQUEST_ID)
                    .setOperation(OPERATION)
                    .setData(ByteString.copyFrom(data))
                    .build();
            protobufBuffer = new byte[BUFFER_SIZE];
            protobufBytes = protobufValue.toByteArray();

            ProcessRequest decoded = ProcessRequestCodec.decode(PostcardReader.of(rapaceBytes));
            Messages.ProcessRequest parsed = Messages.ProcessRequest.parseFrom(protobufBytes);
            if (decoded.requestId() != REQUEST_ID || !decoded.operation().equals(OPERATION)
                    || !Arrays.equals(decoded.data(), data) || !parsed.equals(protobufValue)) {
                throw new IllegalStateException("a codec does not round-trip the benchmark's ProcessRequest");
            }
        }
    }

    /** A {@code LogRequest} at level {@code WARN} with a 56-character ASCII message. */
    @State(Scope.Thread)
    public static class LogRequestState {
        LogRequest rapaceValue;
        byte[] rapaceBuffer;
        PostcardWriter rapaceWriter;
        byte[] rapaceBytes;

        Messages.LogRequest protobufValue;
        byte[] protobufBuffer;
        byte[] protobufBytes;

        @Setup
        public void setUp() throws DecodeException, InvalidProtocolBufferException {
            rapaceValue = new LogRequest(LogLevel.WARN, LOG_MESSAGE);
            rapaceBuffer = new byte[BUFFER_SIZE];
            rapaceWriter = PostcardWriter.into(ByteBuffer.wrap(rapaceBuffer));
            LogRequestCodec.encode(rapaceWriter, rapaceValue);
            rapaceBytes = rapaceWriter.toByteArray();

            protobufValue = Messages.LogRequest.newBuilder()
                    .setLevel(Messages.LogLevel.WARN)
                    .setMessage(LOG_MESSAGE)
                    .build();
            protobufBuffer = new byte[BUFFER_SIZE];
            protobufBytes = protobufValue.toByteArray();

            if (!LogRequestCodec.decode(PostcardReader.of(rapaceBytes)).equals(rapaceValue)
                    || !Messages.LogRequest.parseFrom(protobufBytes).equals(protobufValue)) {
                throw new IllegalStateException("a codec does not round-trip the benchmark's LogRequest");
            }
        }
    }

    // ---------------------------------------------------------------- ProcessRequest, rapace

    @Benchmark
    public void processEncodeRapace(ProcessRequestState s, Blackhole bh) {
        PostcardWriter out = s.rapaceWriter;
        out.reset();
        ProcessRequestCodec.encode(out, s.rapaceValue);
        bh.consume(out.size());
    }

    @Benchmark
    public byte[] processEncodeToArrayRapace(ProcessRequestState s) {
        PostcardWriter out = s.rapaceWriter;
        out.reset();
        ProcessRequestCodec.encode(out, s.rapaceValue);
        return out.toByteArray();
    }

    @Benchmark
    public ProcessRequest processDecodeRapace(ProcessRequestState s) throws DecodeException {
        PostcardReader in = PostcardReader.of(s.rapaceBytes);
        ProcessRequest value = ProcessRequestCodec.decode(in);
        in.expectEnd();
        return value;
    }

    @Benchmark
    public ProcessRequest processRoundTripRapace(ProcessRequestState s) throws DecodeException {
        PostcardWriter out = s.rapaceWriter;
        out.reset();
        ProcessRequestCodec.encode(out, s.rapaceValue);
        PostcardReader in = PostcardReader.of(s.rapaceBuffer, 0, out.size());
        ProcessRequest value = ProcessRequestCodec.decode(in);
        in.expectEnd();
        return value;
    }

    // ---------------------------------------------------------------- ProcessRequest, protobuf-java

    @Benchmark
    public void processEncodeProtobuf(ProcessRequestState s, Blackhole bh) throws IOException {
        CodedOutputStream out = CodedOutputStream.newInstance(s.protobufBuffer);
        s.protobufValue.writeTo(out);
        bh.consume(out.getTotalBytesWritten());
    }

    @Benchmark
    public byte[] processEncodeToArrayProtobuf(ProcessRequestState s) {
        return s.protobufValue.toByteArray();
    }

    @Benchmark
    public Messages.ProcessRequest processDecodeProtobuf(ProcessRequestState s) throws IOException {
        return Messages.ProcessRequest.parseFrom(s.protobufBytes);
    }

    @Benchmark
    public Messages.ProcessRequest processRoundTripProtobuf(ProcessRequestState s) throws IOException {
        CodedOutputStream out = CodedOutputStream.newInstance(s.protobufBuffer);
        s.protobufValue.writeTo(out);
        return Messages.ProcessRequest.parser().parseFrom(s.protobufBuffer, 0, out.getTotalBytesWritten());
    }

    // ---------------------------------------------------------------- LogRequest, rapace

    @Benchmark
    public void logEncodeRapace(LogRequestState s, Blackhole bh) {
        PostcardWriter out = s.rapaceWriter;
        out.reset();
        LogRequestCodec.encode(out, s.rapaceValue);
        bh.consume(out.size());
    }

    @Benchmark
    public byte[] logEncodeToArrayRapace(LogRequestState s) {
        PostcardWriter out = s.rapaceWriter;
        out.reset();
        LogRequestCodec.encode(out, s.rapaceValue);
        return out.toByteArray();
    }

    @Benchmark
    public LogRequest logDecodeRapace(LogRequestState s) throws DecodeException {
        PostcardReader in = PostcardReader.of(s.rapaceBytes);
        LogRequest value = LogRequestCodec.decode(in);
        in.expectEnd();
        return value;
    }

    @Benchmark
    public LogRequest logRoundTripRapace(LogRequestState s) throws DecodeException {
        PostcardWriter out = s.rapaceWriter;
        out.reset();
        LogRequestCodec.encode(out, s.rapaceValue);
        PostcardReader in = PostcardReader.of(s.rapaceBuffer, 0, out.size());
        LogRequest value = LogRequestCodec.decode(in);
        in.expectEnd();
        return value;
    }

    // ---------------------------------------------------------------- LogRequest, protobuf-java

    @Benchmark
    public void logEncodeProtobuf(LogRequestState s, Blackhole bh) throws IOException {
        CodedOutputStream out = CodedOutputStream.newInstance(s.protobufBuffer);
        s.protobufValue.writeTo(out);
        bh.consume(out.getTotalBytesWritten());
    }

    @Benchmark
    public byte[] logEncodeToArrayProtobuf(LogRequestState s) {
        return s.protobufValue.toByteArray();
    }

    @Benchmark
    public Messages.LogRequest logDecodeProtobuf(LogRequestState s) throws IOException {
        return Messages.LogRequest.parseFrom(s.protobufBytes);
    }

    @Benchmark
    public Messages.LogRequest logRoundTripProtobuf(LogRequestState s) throws IOException {
        CodedOutputStream out = CodedOutputStream.newInstance(s.protobufBuffer);
        s.protobufValue.writeTo(out);
        return Messages.LogRequest.parser().parseFrom(s.protobufBuffer, 0, out.getTotalBytesWritten());
    }
}
