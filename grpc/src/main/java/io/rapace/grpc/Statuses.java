package io.rapace.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.rapace.rpc.ErrorCode;
import io.rapace.rpc.RpcException;

/**
 * rapace error codes and gRPC status codes, by name ({@code docs/grpc.md}). The codes both have (CANCELLED to
 * DATA_LOSS) keep their names; the codes only rapace has travel as the nearest gRPC status with their number in the
 * trailer {@value #CODE_TRAILER}, so a rapace caller gets them back: PEER_DIED and SESSION_CLOSED as UNAVAILABLE,
 * VALIDATION_FAILED and STALE_GENERATION (and any number this version does not know) as INTERNAL. gRPC's UNKNOWN
 * and UNAUTHENTICATED, which rapace does not have, arrive as INTERNAL and PERMISSION_DENIED.
 */
final class Statuses {
    /** The trailer that carries a rapace code gRPC has no name for, as its decimal number. */
    static final String CODE_TRAILER = "rapace-code";
    static final Metadata.Key<String> CODE_KEY = Metadata.Key.of(CODE_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

    private Statuses() {
    }

    /** The gRPC status and trailers a rapace failure travels as. */
    static StatusException toStatus(RpcException e) {
        Status.Code code = switch (e.code()) {
            case CANCELLED -> Status.Code.CANCELLED;
            case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
            case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
            case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
            case ABORTED -> Status.Code.ABORTED;
            case OUT_OF_RANGE -> Status.Code.OUT_OF_RANGE;
            case UNIMPLEMENTED -> Status.Code.UNIMPLEMENTED;
            case INTERNAL -> Status.Code.INTERNAL;
            case UNAVAILABLE, PEER_DIED, SESSION_CLOSED -> Status.Code.UNAVAILABLE;
            case DATA_LOSS -> Status.Code.DATA_LOSS;
            default -> Status.Code.INTERNAL; // VALIDATION_FAILED, STALE_GENERATION, numbers not known here
        };
        Metadata trailers = new Metadata();
        if (!sameName(e.code(), code)) {
            trailers.put(CODE_KEY, Integer.toUnsignedString(e.rawCode()));
        }
        return code.toStatus().withDescription(e.getMessage()).asException(trailers);
    }

    /** The rapace failure a gRPC failure arrives as. */
    static RpcException fromStatus(Throwable t) {
        Status status = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        String number = trailers == null ? null : trailers.get(CODE_KEY);
        if (number != null) {
            try {
                int raw = Integer.parseUnsignedInt(number);
                if (raw != 0) {
                    return RpcException.ofRaw(raw, message);
                }
            } catch (NumberFormatException e) {
                // not one of ours: by the status's name
            }
        }
        ErrorCode code = switch (status.getCode()) {
            case CANCELLED -> ErrorCode.CANCELLED;
            case DEADLINE_EXCEEDED -> ErrorCode.DEADLINE_EXCEEDED;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case PERMISSION_DENIED, UNAUTHENTICATED -> ErrorCode.PERMISSION_DENIED;
            case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
            case FAILED_PRECONDITION -> ErrorCode.FAILED_PRECONDITION;
            case ABORTED -> ErrorCode.ABORTED;
            case OUT_OF_RANGE -> ErrorCode.OUT_OF_RANGE;
            case UNIMPLEMENTED -> ErrorCode.UNIMPLEMENTED;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case DATA_LOSS -> ErrorCode.DATA_LOSS;
            default -> ErrorCode.INTERNAL; // INTERNAL, UNKNOWN, and OK (which is no failure: not expected here)
        };
        return new RpcException(code, message, t instanceof StatusRuntimeException || t instanceof StatusException
                ? null : t);
    }

    private static boolean sameName(ErrorCode rapace, Status.Code grpc) {
        return rapace.name().equals(grpc.name());
    }
}
