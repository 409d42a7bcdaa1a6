import static groovy.io.FileType.FILES

// The second build, with nothing changed, said so and wrote nothing: no generated file, and so no class file, was
// written after it started (the time of the marker file its profile wrote first), and the compiler had nothing to do.
def log = new File(basedir, 'build.log').getText('UTF-8').replace('\r\n', '\n')
def lines = log.split('\n', -1).findAll { !(it ==~ /\[INFO\] Download(ing|ed) from .*/) }

def summaries = lines.findAll { it.startsWith('[INFO] Read ') || it.startsWith('[INFO] Nothing changed') }
assert summaries == [
        '[INFO] Read 2 IDL files: 1 type, 1 service, 2 methods; wrote 6 Java files to target/generated-sources/rapace',
        '[INFO] Nothing changed in 2 IDL files since the last build; 6 Java files in target/generated-sources/rapace'
                + ' are up to date',
]
def compiles = lines.findAll {
    it.startsWith('[INFO] Compiling ') || it == '[INFO] Nothing to compile - all classes are up to date.'
}
assert compiles == [
        '[INFO] Compiling 6 source files with javac [debug release 17] to target/classes',
        '[INFO] Nothing to compile - all classes are up to date.',
]

def generated = new File(basedir, 'target/generated-sources/rapace')
def sources = []
generated.eachFileRecurse(FILES) { sources << generated.toPath().relativize(it.toPath()).toString().replace('\\', '/') }
assert sources.sort() == [
        'io/rapace/it/unchanged/Greeter.java',
        'io/rapace/it/unchanged/GreeterClient.java',
        'io/rapace/it/unchanged/GreeterDescriptor.java',
        'io/rapace/it/unchanged/GreeterDispatcher.java',
        'io/rapace/it/unchanged/api/Name.java',
        'io/rapace/it/unchanged/api/NameCodec.java',
]

def started = new File(basedir, 'target/marker/second-build-started.txt').lastModified()
assert started > 0 : 'the second build did not write its marker'
def outputs = []
['target/generated-sources/rapace', 'target/generated-resources/rapace', 'target/classes'].each {
    new File(basedir, it).eachFileRecurse(FILES) { outputs << it }
}
assert outputs.any { it.name == 'GreeterClient.class' }
assert outputs.any { it.path.endsWith('io.rapace.registry.ServiceDescriptor') }
outputs.each { assert it.lastModified() < started : "$it was written by the second build" }
return true
