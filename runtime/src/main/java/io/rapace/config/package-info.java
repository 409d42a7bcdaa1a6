/**
 * What users give a session and what it tells them back: {@link io.rapace.config.SessionConfig} (with its
 * {@link io.rapace.config.SegmentGeometry} and {@link io.rapace.config.WakeMode}), the default
 * {@link io.rapace.config.Limits} that every builder starts from, and the {@link io.rapace.config.CloseCause} a session
 * ends with. The RPC layer's {@code RpcSession} and the plugin host take these; the session and the shared-memory
 * transport beneath them, which are not exported, read them.
 *
 * <p>Layer: beside {@code io.rapace.shm}. These are values only, with no threads and no I/O. They may import
 * {@code io.rapace.shm} for what the segment layout owns ({@code SegmentLayout}: the limits of a geometry and the size
 * it makes; {@code Segment}: the default directory), and {@code io.rapace.shm} and {@code io.rapace.session} import
 * them back; nothing here imports {@code io.rapace.session} or anything above it.
 */
package io.rapace.config;
