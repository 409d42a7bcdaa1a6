/**
 * The annotation front end: {@link io.rapace.processor.RapaceProcessor} reads interfaces annotated with
 * {@code @RapaceService} and the records, enums and sealed interfaces reachable from their methods into the one schema
 * model ({@code io.rapace.idl.model}), reports what it cannot map on the offending element, and hands the model to
 * the one generator ({@code io.rapace.idl.gen}) without regenerating the user's types. It writes no Java itself.
 *
 * <p>It imports the model, the generator facade, the IDL printer, the annotations of the runtime and
 * {@code javax.annotation.processing}/{@code javax.lang.model} (plus {@code com.sun.source} to see whether a sealed
 * interface wrote its {@code permits} clause).
 */
package io.rapace.processor;
