package io.rapace.idl.model;

import java.util.Set;

/**
 * How schema names become Java names ({@code docs/idl.md}, "Names in Java"). The wire, the method ids and the registry keep the names
 * as written; only Java sees these.
 *
 * <ul>
 *   <li>Fields and parameters: snake_case to camelCase ({@code plugin_id} to {@code pluginId}); names without an
 *       inner underscore stay as written.</li>
 *   <li>Methods: each dot-separated segment in camelCase, joined, the first word in lower case
 *       ({@code Logger.log} to {@code loggerLog}, {@code HTTP.get_all} to {@code httpGetAll}).</li>
 *   <li>Unit-only enum variants: UPPER_SNAKE_CASE ({@code PluginLoaded} to {@code PLUGIN_LOADED}).</li>
 *   <li>Types, services and variant records: as written.</li>
 *   <li>Then every one of these that is a Java keyword or literal, {@code _}, a restricted identifier
 *       ({@code var yield record sealed permits}), or the name of a member every object has ({@code hashCode
 *       toString getClass wait notify notifyAll clone finalize equals}) gets a {@code _} suffix. Package segments get
 *       it only for keywords, literals and {@code _}, the only names a package cannot have.</li>
 * </ul>
 */
public final class JavaNames {

    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "_");

    private static final Set<String> RESTRICTED_IDENTIFIERS = Set.of("var", "yield", "record", "sealed", "permits");

    private static final Set<String> OBJECT_MEMBERS = Set.of(
            "hashCode", "toString", "getClass", "wait", "notify", "notifyAll", "clone", "finalize", "equals");

    private JavaNames() {
    }

    /** Whether {@code name} is a Java keyword, a literal ({@code true false null}) or {@code _}. */
    public static boolean isJavaKeyword(String name) {
        return KEYWORDS.contains(name);
    }

    /** Whether {@code name} needs the {@code _} suffix as a Java identifier of a type, member or parameter. */
    public static boolean needsEscape(String name) {
        return KEYWORDS.contains(name) || RESTRICTED_IDENTIFIERS.contains(name) || OBJECT_MEMBERS.contains(name);
    }

    /** {@code name} with a {@code _} suffix when {@link #needsEscape} says so, else unchanged. */
    public static String escape(String name) {
        return needsEscape(name) ? name + "_" : name;
    }

    /** The Java name of a field or parameter: {@link #camelCase}, then {@link #escape}. */
    public static String fieldName(String name) {
        return escape(camelCase(name));
    }

    /** The Java name of a type, service or data-enum variant record: the name as written, {@link #escape}d. */
    public static String typeName(String name) {
        return escape(name);
    }

    /** The Java enum constant of a variant of a unit-only enum: {@link #upperSnakeCase}, then {@link #escape}. */
    public static String enumConstant(String name) {
        return escape(upperSnakeCase(name));
    }

    /**
     * The Java name of a method written as {@code nameAsWritten}: each dot-separated segment in {@link #camelCase},
     * the first with its leading capitals lowered ({@code Logger} to {@code logger}, {@code HTTPServer} to
     * {@code httpServer}), the others with their first letter raised, joined, then {@link #escape}d.
     */
    public static String methodName(String nameAsWritten) {
        StringBuilder java = new StringBuilder(nameAsWritten.length());
        int start = 0;
        boolean first = true;
        while (start <= nameAsWritten.length()) {
            int dot = nameAsWritten.indexOf('.', start);
            int end = dot < 0 ? nameAsWritten.length() : dot;
            String segment = camelCase(nameAsWritten.substring(start, end));
            java.append(first ? lowerLeadingCapitals(segment) : upperFirst(segment));
            first = false;
            start = end + 1;
        }
        return escape(java.toString());
    }

    /** The Java package of a schema package: segments that are keywords, literals or {@code _} get a suffix. */
    public static String javaPackage(String packageName) {
        if (packageName.isEmpty()) {
            return packageName;
        }
        StringBuilder java = new StringBuilder(packageName.length() + 4);
        for (String segment : packageName.split("\\.", -1)) {
            if (java.length() > 0) {
                java.append('.');
            }
            java.append(segment);
            if (isJavaKeyword(segment)) {
                java.append('_');
            }
        }
        return java.toString();
    }

    /**
     * snake_case to camelCase: each underscore between two other characters is dropped and the character after it
     * upper-cased ({@code plugin_id} to {@code pluginId}); leading and trailing underscores stay; everything else
     * is kept as written. Not escaped.
     */
    public static String camelCase(String name) {
        int from = 0;
        while (from < name.length() && name.charAt(from) == '_') {
            from++;
        }
        int to = name.length();
        while (to > from && name.charAt(to - 1) == '_') {
            to--;
        }
        StringBuilder camel = new StringBuilder(name.length());
        camel.append(name, 0, from);
        boolean raiseNext = false;
        for (int i = from; i < to; i++) {
            char c = name.charAt(i);
            if (c == '_') {
                raiseNext = true;
            } else {
                camel.append(raiseNext ? Character.toUpperCase(c) : c);
                raiseNext = false;
            }
        }
        camel.append(name, to, name.length());
        return camel.toString();
    }

    /**
     * UpperCamelCase or snake_case to UPPER_SNAKE_CASE: an underscore goes before each capital that follows a lower
     * case letter or a digit, or that starts a word after a run of capitals ({@code HTTPServer} to
     * {@code HTTP_SERVER}); then everything is upper-cased. Not escaped.
     */
    public static String upperSnakeCase(String name) {
        StringBuilder snake = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i > 0 && isUpper(c)) {
                char previous = name.charAt(i - 1);
                boolean nextIsLower = i + 1 < name.length() && isLower(name.charAt(i + 1));
                if (isLower(previous) || isDigit(previous) || (isUpper(previous) && nextIsLower)) {
                    snake.append('_');
                }
            }
            snake.append(Character.toUpperCase(c));
        }
        return snake.toString();
    }

    private static String lowerLeadingCapitals(String word) {
        int capitals = 0;
        while (capitals < word.length() && isUpper(word.charAt(capitals))) {
            capitals++;
        }
        if (capitals == 0) {
            return word;
        }
        int lower = capitals;
        if (capitals > 1 && capitals < word.length() && isLower(word.charAt(capitals))) {
            lower = capitals - 1;
        }
        return word.substring(0, lower).toLowerCase(java.util.Locale.ROOT) + word.substring(lower);
    }

    private static String upperFirst(String word) {
        if (word.isEmpty() || !isLower(word.charAt(0))) {
            return word;
        }
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
