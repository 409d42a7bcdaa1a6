/**
 * The schema model: one immutable description of the types and services generated together, built by both
 * front ends (the {@code .rapace} parser in {@code io.rapace.idl.parse} and the annotation processor) and read by
 * the one generator ({@code io.rapace.idl.gen}).
 *
 * <p>A {@link io.rapace.idl.model.Schema} holds {@link io.rapace.idl.model.TypeDecl type declarations} (structs and
 * enums) and {@link io.rapace.idl.model.Service services}. Every node is a record carrying the
 * {@link io.rapace.idl.model.SourcePosition} it came from, and keeps two kinds of names apart: the name as written in
 * the schema, which the wire, the method ids and the registry use, and the Java name the generated (or annotated)
 * code uses. {@link io.rapace.idl.model.JavaNames} holds the rules that derive the second from the first for the IDL,
 * and {@link io.rapace.idl.model.MethodIds} the default method id rule.
 *
 * <p>This package knows nothing about parsing, javac or JavaPoet, and imports only {@code java.*} and the runtime's
 * {@code io.rapace.annotation.MethodKind}, the one enum of call shapes every part of rapace shares. Records check
 * their own invariants (an enum has variants, ids are not 0, a reference resolves) and throw
 * {@link java.lang.IllegalArgumentException} when a front end breaks one; front ends report user errors themselves
 * before they build the model.
 */
package io.rapace.idl.model;
