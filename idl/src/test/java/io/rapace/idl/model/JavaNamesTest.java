package io.rapace.idl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JavaNamesTest {

    @Test
    void turnsSnakeCaseIntoCamelCase() {
        assertEquals("pluginId", JavaNames.camelCase("plugin_id"));
        assertEquals("configData", JavaNames.camelCase("config_data"));
        assertEquals("aB", JavaNames.camelCase("a__b"));
        assertEquals("a1", JavaNames.camelCase("a_1"));
        assertEquals("alreadyCamel", JavaNames.camelCase("alreadyCamel"));
        assertEquals("HTTPServer", JavaNames.camelCase("HTTP_server"));
    }

    @Test
    void keepsLeadingAndTrailingUnderscores() {
        assertEquals("_privateValue", JavaNames.camelCase("_private_value"));
        assertEquals("value_", JavaNames.camelCase("value_"));
        assertEquals("__", JavaNames.camelCase("__"));
    }

    @Test
    void joinsDottedMethodNamesInCamelCase() {
        assertEquals("loggerLog", JavaNames.methodName("Logger.log"));
        assertEquals("storageGet", JavaNames.methodName("Storage.get"));
        assertEquals("eventsSubscribe", JavaNames.methodName("Events.subscribe"));
        assertEquals("filesOpenAll", JavaNames.methodName("Files.open_all"));
        assertEquals("add", JavaNames.methodName("add"));
        assertEquals("getUser", JavaNames.methodName("GetUser"));
        assertEquals("httpGet", JavaNames.methodName("HTTP.get"));
        assertEquals("urlFetch", JavaNames.methodName("URLFetch"));
        assertEquals("ioError", JavaNames.methodName("IOError"));
    }

    @Test
    void escapesJavaKeywordsAndObjectMembersWithAnUnderscore() {
        assertEquals("class_", JavaNames.fieldName("class"));
        assertEquals("default_", JavaNames.fieldName("default"));
        assertEquals("null_", JavaNames.fieldName("null"));
        assertEquals("__", JavaNames.fieldName("_"));
        assertEquals("hashCode_", JavaNames.fieldName("hash_code"));
        assertEquals("toString_", JavaNames.methodName("to_string"));
        assertEquals("getClass_", JavaNames.methodName("Get.class"));
        assertEquals("equals_", JavaNames.methodName("equals"));
        assertEquals("record_", JavaNames.typeName("record"));
        assertEquals("var_", JavaNames.fieldName("var"));
        assertEquals("message", JavaNames.fieldName("message"));
        assertEquals("String", JavaNames.typeName("String"));
    }

    @Test
    void turnsVariantNamesIntoUpperSnakeCaseConstants() {
        assertEquals("TRACE", JavaNames.enumConstant("Trace"));
        assertEquals("PLUGIN_LOADED", JavaNames.enumConstant("PluginLoaded"));
        assertEquals("HTTP_SERVER", JavaNames.enumConstant("HTTPServer"));
        assertEquals("V2_BETA", JavaNames.enumConstant("v2Beta"));
        assertEquals("PLUGIN_LOADED", JavaNames.enumConstant("plugin_loaded"));
        assertEquals("__", JavaNames.enumConstant("_"));
    }

    @Test
    void escapesOnlyTrueKeywordsInPackages() {
        assertEquals("io.rapace.samples.host", JavaNames.javaPackage("io.rapace.samples.host"));
        assertEquals("com.int_.record", JavaNames.javaPackage("com.int.record"));
        assertEquals("", JavaNames.javaPackage(""));
    }

    @Test
    void knowsWhichNamesAreKeywords() {
        assertTrue(JavaNames.isJavaKeyword("goto"));
        assertTrue(JavaNames.needsEscape("notifyAll"));
        assertFalse(JavaNames.isJavaKeyword("record"));
        assertFalse(JavaNames.needsEscape("string"));
    }
}
