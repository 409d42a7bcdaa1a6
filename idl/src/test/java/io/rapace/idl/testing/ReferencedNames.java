package io.rapace.idl.testing;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simple names of the classes that generated sources refer to without their package: what they import, and the
 * {@code java.lang} classes they name (a name the file declares, such as a variant record {@code Process}, is the
 * file's own). Read from the generator's own output, so a class that generated code starts
 * to use is covered by the tests that use this without anyone listing it.
 */
public final class ReferencedNames {

    private static final Pattern IMPORT = Pattern.compile("(?m)^import ([\\w.]+)\\.(\\w+);$");
    private static final Pattern COMMENT_OR_STRING =
            Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'", Pattern.DOTALL);
    private static final Pattern CAPITALISED = Pattern.compile("(?<![\\w.])[A-Z]\\w*");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:record|class|interface|enum) (\\w+)");

    private ReferencedNames() {
    }

    /**
     * The classes {@code source} imports, and the {@code java.lang} classes its code names, by simple name: each
     * simple name to the canonical name of its class.
     */
    public static Map<String, String> of(String source) {
        Map<String, String> names = new TreeMap<>();
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
            names.put(imports.group(2), imports.group(1) + "." + imports.group(2));
        }
        String code = COMMENT_OR_STRING.matcher(source).replaceAll(" ");
        Set<String> declared = new HashSet<>();
        Matcher declarations = DECLARED.matcher(code);
        while (declarations.find()) {
            declared.add(declarations.group(1));
        }
        Matcher words = CAPITALISED.matcher(code);
        while (words.find()) {
            if (!declared.contains(words.group()) && isJavaLangClass(words.group())) {
                names.put(words.group(), "java.lang." + words.group());
            }
        }
        return names;
    }

    private static boolean isJavaLangClass(String simpleName) {
        try {
            Class.forName("java.lang." + simpleName, false, ReferencedNames.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException notJavaLang) {
            return false;
        }
    }
}
