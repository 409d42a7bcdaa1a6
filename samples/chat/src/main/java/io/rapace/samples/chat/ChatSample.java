package io.rapace.samples.chat;

import io.rapace.registry.ServiceRegistry;
import io.rapace.rpc.Loopback;
import io.rapace.rpc.RpcStream;

/** Calls each of the chat room's four methods over the in-process loopback and prints what comes back. */
public final class ChatSample {
    private ChatSample() {
    }

    public static void main(String[] args) {
        System.out.print(ServiceRegistry.discover().describe());
        try (Loopback loopback = Loopback.create()) {
            loopback.server().serve(new ChatDispatcher(new ChatRoom()));
            Chat chat = new ChatClient(loopback.client());

            System.out.println("post     -> " + chat.post(new ChatMessage("ada", "hello")) + " message(s) in the room");
            UploadSummary summary = chat.upload(RpcStream.of(
                    new ChatMessage("grace", "hi ada"), new ChatMessage("ada", "hi grace")));
            System.out.println("upload   -> " + summary);
            for (ChatMessage message : chat.history(10)) {
                System.out.println("history  -> " + message.author() + ": " + message.text());
            }
            for (ChatMessage reply : chat.converse(RpcStream.of(new ChatMessage("linus", "anyone here?")))) {
                System.out.println("converse -> " + reply.text());
            }
        }
    }
}
