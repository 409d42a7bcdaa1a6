package io.rapace.samples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.Loopback;
import io.rapace.rpc.RpcStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat sample's four call shapes over the loopback, which moves encoded bytes between its two ends. */
class ChatTest {
    private Loopback loopback;
    private Chat chat;

    @BeforeEach
    void serve() {
        loopback = Loopback.create();
        loopback.server().serve(new ChatDispatcher(new ChatRoom()));
        chat = new ChatClient(loopback.client());
    }

    @AfterEach
    void close() {
        loopback.close();
    }

    @Test
    void unaryPostCountsTheMessages() {
        assertEquals(1, chat.post(new ChatMessage("ada", "one")));
        assertEquals(2, chat.post(new ChatMessage("ada", "two")));
    }

    @Test
    void clientStreamingUploadSummarises() {
        UploadSummary summary = chat.upload(RpcStream.of(new ChatMessage("ada", "a"),
                new ChatMessage("grace", "b"), new ChatMessage("ada", "c")));
        assertEquals(new UploadSummary(3, List.of("ada", "grace")), summary);
    }

    @Test
    void serverStreamingHistoryIsOldestFirstAndLimited() {
        chat.upload(RpcStream.of(new ChatMessage("ada", "a"), new ChatMessage("grace", "b"),
                new ChatMessage("linus", "c")));
        assertEquals(List.of(new ChatMessage("ada", "a"), new ChatMessage("grace", "b")), chat.history(2).toList());
        assertEquals(3, chat.history(-1).toList().size(), "the limit is a u32: -1 is 4294967295");
    }

    @Test
    void bidiStreamingAnswersEachMessage() {
        List<ChatMessage> replies = chat.converse(RpcStream.of(new ChatMessage("ada", "hi"),
                new ChatMessage("grace", "hello"))).toList();
        assertEquals(List.of(new ChatMessage("room", "#1 from ada: hi"), new ChatMessage("room", "#2 from grace: hello")),
                replies);
    }

    @Test
    void registersItsDescriptorWithDefaultIds() {
        // default ids: FNV-1a over "Chat.<method>", folded to 32 bits; describe() sorts them as unsigned numbers
        assertEquals("Service: rapace.samples.Chat v1.0\n"
                + "  - post (785516403): Unary\n"
                + "  - converse (1689106263): BidiStreaming\n"
                + "  - upload (2190252697): ClientStreaming\n"
                + "  - history (3383038173): ServerStreaming\n",
                ServiceRegistry.discover().describe());
    }
}
