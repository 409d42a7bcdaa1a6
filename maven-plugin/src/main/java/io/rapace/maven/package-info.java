/**
 * The Maven plugin: goal {@code generate} ({@link io.rapace.maven.GenerateMojo}) turns a project's {@code .rapace}
 * files into Java through the one generator of {@code io.rapace.idl.gen}.
 *
 * <p>{@code GenerateMojo} is the only class that knows Maven: it reads the parameters, adds the output directories to
 * the project and logs. {@code Generation} is one run without Maven: {@code SourceScanner} and
 * {@code IncludePattern} find the files, {@code Fingerprint} and {@code GenerationState} decide whether anything
 * changed since the last run, {@code IdlParser} parses, {@code RapaceGenerator} generates and {@code OutputWriter}
 * writes what changed and deletes what is stale.
 *
 * <p>This package imports {@code io.rapace.idl.parse}, {@code io.rapace.idl.gen}, {@code io.rapace.idl.model},
 * the Maven plugin API and {@code java.*}. Usage is documented in {@code docs/maven-plugin.md}.
 */
package io.rapace.maven;
