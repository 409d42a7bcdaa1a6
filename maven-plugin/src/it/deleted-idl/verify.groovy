import static groovy.io.FileType.FILES

// The second build ran after beta.rapace was deleted: the goal deleted every file generated from it (and the package
// directories left empty), kept alpha's files untouched, and rewrote the ServiceLoader file without Beta; so the
// compiled project has neither Beta's classes nor its registration.
def log = new File(basedir, 'build.log').getText('UTF-8').replace('\r\n', '\n')
def lines = log.split('\n', -1).findAll { !(it ==~ /\[INFO\] Download(ing|ed) from .*/) }

assert !new File(basedir, 'src/main/rapace/beta/beta.rapace').exists()
def summaries = lines.findAll { it.startsWith('[INFO] Read ') || it.startsWith('[INFO] Nothing changed') }
assert summaries == [
        '[INFO] Read 2 IDL files: 2 types, 2 services, 2 methods; wrote 12 Java files to target/generated-sources/rapace',
        '[INFO] Read 1 IDL file: 1 type, 1 service, 1 method; wrote 0 Java files to target/generated-sources/rapace'
                + ' (6 unchanged); deleted 6 stale files',
]

def generated = new File(basedir, 'target/generated-sources/rapace')
assert !new File(generated, 'io/rapace/it/deleted/beta').exists()
def left = []
generated.eachFileRecurse(FILES) { left << generated.toPath().relativize(it.toPath()).toString().replace('\\', '/') }
assert left.sort() == [
        'io/rapace/it/deleted/alpha/Alpha.java',
        'io/rapace/it/deleted/alpha/AlphaClient.java',
        'io/rapace/it/deleted/alpha/AlphaDescriptor.java',
        'io/rapace/it/deleted/alpha/AlphaDispatcher.java',
        'io/rapace/it/deleted/alpha/Letter.java',
        'io/rapace/it/deleted/alpha/LetterCodec.java',
]

// The compiler saw the sources go, and no class of Beta's is left to be found on the class path.
assert lines.contains('[INFO] Recompiling the module because of added or removed source files.')
def classes = []
new File(basedir, 'target/classes').eachFileRecurse(FILES) { classes << it.name }
assert classes.findAll { it.endsWith('.class') }.sort() == [
        'Alpha.class', 'AlphaClient.class', 'AlphaDescriptor.class', 'AlphaDispatcher.class', 'Letter.class',
        'LetterCodec.class',
]

def registration = 'META-INF/services/io.rapace.registry.ServiceDescriptor'
def registered = 'io.rapace.it.deleted.alpha.AlphaDescriptor\n'
assert new File(basedir, "target/generated-resources/rapace/default/$registration").text == registered
assert new File(basedir, "target/classes/$registration").text == registered
return true
