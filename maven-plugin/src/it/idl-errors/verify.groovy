// The build failed in the generate goal, which logged every diagnostic of both files, each as
// `absolute-file:line:column: message`, the line and a caret, then one failure line; and it wrote nothing.
def log = new File(basedir, 'build.log').getText('UTF-8').replace('\r\n', '\n')
// Lines about artifacts being downloaded into the IT's empty local repository may come between.
def lines = log.split('\n', -1).findAll { !(it ==~ /\[INFO\] Download(ing|ed) from .*/) }
def start = lines.findIndexOf {
    it.startsWith('[INFO] --- rapace-maven-plugin:') && it.endsWith(':generate (default) @ idl-errors ---')
}
assert start >= 0 : "the generate goal did not run:\n$log"
def end = lines.findIndexOf(start) { it == '[INFO] BUILD FAILURE' }
assert end > start : "the build did not fail:\n$log"
def goalOutput = lines.subList(start + 1, end - 1).join('\n')

def dir = basedir.toPath().toAbsolutePath().normalize().resolve('src/main/rapace')
def messages = dir.resolve('chat/messages.rapace')
def service = dir.resolve('chat/service.rapace')
def expected = """\
[ERROR] ${messages}:6:11: unknown type `strng`; did you mean `string`?
    text: strng,
          ^
[ERROR] ${messages}:10:31: duplicate variant `Online` in enum `Presence` (first declared at chat/messages.rapace:10:17)
enum Presence { Online, Away, Online }
                              ^
[ERROR] ${service}:7:45: unknown type `Mesage`; did you mean `Message`?
    server_streaming watch(room: string) -> Mesage;
                                            ^
[ERROR] ${service}:8:33: duplicate method id 7 (first used by post at chat/service.rapace:6:5)
    unary leave(room: string) = 7;
                                ^
[ERROR] ${service}:9:5: unknown method kind `sideways_streaming`; the kinds are `unary`, `client_streaming`, `server_streaming` or `bidi_streaming`; did you mean `server_streaming`?
    sideways_streaming ping();
    ^"""
assert goalOutput == expected

def failure = lines.find { it.startsWith('[ERROR] Failed to execute goal io.rapace:rapace-maven-plugin:') }
assert failure != null
assert failure.endsWith(':generate (default) on project idl-errors: The IDL files have 5 errors, listed above'
        + ' -> [Help 1]')
assert !new File(basedir, 'target/generated-sources').exists()
assert !new File(basedir, 'target/rapace-maven-plugin').exists()
return true
