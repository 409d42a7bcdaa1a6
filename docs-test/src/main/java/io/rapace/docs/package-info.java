/**
 * The docs test: reads the fenced code blocks of the Markdown documents, checks the marker before each (see
 * {@code docs/docs-test.md}), and writes the example project a document describes so that maven-invoker-plugin can
 * build and run it. Uses only the JDK.
 */
package io.rapace.docs;
