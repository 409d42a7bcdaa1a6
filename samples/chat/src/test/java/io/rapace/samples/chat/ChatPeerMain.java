package io.rapace.samples.chat;

import io.rapace.rpc.CallContext;
import io.rapace.rpc.RpcSession;
import io.rapace.rpc.RpcStream;
import io.rapace.session.SessionConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The child JVM of {@link ChatProcessTest}: connects as PeerB to the segment and socket on its command line, serves a
 * {@link ChatRoom} through the generated {@link ChatDispatcher}, prints {@code READY <pid>}, and exits once the
 * session ended, printing {@code CLOSED <cause>}. Posting the text {@value #CALL_BACK} makes it call every method of
 * the host's room back, nested in that call, check each answer, and return how many calls it checked.
 */
public final class ChatPeerMain {
    static final String CALL_BACK = "call back";

    private ChatPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        RpcSession rpc = RpcSession.builder()
                .config(SessionConfig.builder().peerId("chat-child").build())
                .serve(new ChatDispatcher(new CallingBackRoom()))
                .connect(Path.of(args[0]), Path.of(args[1]));
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        System.out.println("CLOSED " + rpc.closed().get());
        System.out.flush();
    }

    /** A {@link ChatRoom}; posting {@value #CALL_BACK} calls the caller's room back instead. */
    private static final class CallingBackRoom implements Chat {
        private final ChatRoom room = new ChatRoom();

        @Override
        public long post(ChatMessage request) {
            if (!request.text().equals(CALL_BACK)) {
                return room.post(request);
            }
            // the caller's room, which starts empty
            Chat host = new ChatClient(CallContext.current().peerChannel());
            ChatMessage one = new ChatMessage("child", "one");
            ChatMessage two = new ChatMessage("child", "two");
            ChatMessage three = new ChatMessage("child", "three");
            check("post", 1L, host.post(one));
            check("upload", new UploadSummary(2, List.of("child")), host.upload(RpcStream.of(two, three)));
            check("history", List.of(one, two), host.history(2).toList());
            check("converse", List.of(new ChatMessage("room", "#4 from child: four")),
                    host.converse(RpcStream.of(new ChatMessage("child", "four"))).toList());
            return 4;
        }

        private static void check(String method, Object expected, Object actual) {
            if (!Objects.equals(expected, actual)) {
                throw new IllegalStateException("the host's " + method + " answered " + actual + ", expected "
                        + expected);
            }
        }

        @Override
        public UploadSummary upload(RpcStream<ChatMessage> requests) {
            return room.upload(requests);
        }

        @Override
        public RpcStream<ChatMessage> history(int limit) {
            return room.history(limit);
        }

        @Override
        public RpcStream<ChatMessage> converse(RpcStream<ChatMessage> requests) {
            return room.converse(requests);
        }
    }
}
