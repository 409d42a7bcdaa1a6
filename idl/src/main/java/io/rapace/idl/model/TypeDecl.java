package io.rapace.idl.model;

/** A declared type: a {@link StructDecl struct} or an {@link EnumDecl enum}. */
public sealed interface TypeDecl permits StructDecl, EnumDecl {

    /** The schema name: package and name as written. */
    TypeName name();

    /** The Java class: a record, an enum, or a sealed interface for an enum with data. */
    JavaClassName javaName();

    /** The {@code ///} documentation, lines joined with {@code \n}; empty when there is none. */
    String doc();

    /** Where the type's name was written. */
    SourcePosition position();
}
