/**
 * The schema model printed back as {@code .rapace} text: {@link io.rapace.idl.print.IdlPrinter}. The annotation
 * processor writes each service's IDL with it, so tools and other languages can read a service declared in Java.
 *
 * <p>It imports the model and the JDK only.
 */
package io.rapace.idl.print;
