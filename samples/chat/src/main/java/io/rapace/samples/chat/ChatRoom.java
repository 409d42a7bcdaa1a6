package io.rapace.samples.chat;

import io.rapace.rpc.RpcStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The implementation of the generated {@link Chat} interface: a room that keeps every message. */
public final class ChatRoom implements Chat {
    private final List<ChatMessage> messages = new ArrayList<>();

    @Override
    public synchronized long post(ChatMessage request) {
        messages.add(request);
        return messages.size();
    }

    @Override
    public UploadSummary upload(RpcStream<ChatMessage> requests) {
        int count = 0;
        Set<String> authors = new LinkedHashSet<>();
        for (ChatMessage message : requests) {
            post(message);
            authors.add(message.author());
            count++;
        }
        return new UploadSummary(count, List.copyOf(authors));
    }

    @Override
    public RpcStream<ChatMessage> history(int limit) {
        List<ChatMessage> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(messages.subList(0, (int) Math.min(messages.size(),
                    Integer.toUnsignedLong(limit))));
        }
        return RpcStream.from(snapshot);
    }

    @Override
    public RpcStream<ChatMessage> converse(RpcStream<ChatMessage> requests) {
        return RpcStream.generate(out -> {
            for (ChatMessage message : requests) {
                long count = post(message);
                out.send(new ChatMessage("room", "#" + count + " from " + message.author() + ": " + message.text()));
            }
        });
    }
}
