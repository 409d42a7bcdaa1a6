import static groovy.io.FileType.FILES

import java.util.regex.Pattern

// The docs test's checks on a project pasted from a document (docs/docs-test.md), once every mvn command of its run
// blocks succeeded (the invoker checked that):
// 1. the build printed no warning: the pom is complete (plugin versions given, no unresolved property);
// 2. every JUnit test class the document shows ran, and all its tests passed;
// 3. the lines of the document's output blocks were printed, in order, <pid> standing for a process id;
// 4. every process named by a <pid> has exited and left nothing in /dev/shm.
def log = new File(basedir, 'build.log').getText('UTF-8').replace('\r\n', '\n')
def lines = log.replaceAll('\u001B\\[[0-9;]*m', '').split('\n', -1)
        .findAll { !(it ==~ /\[INFO\] Download(ing|ed) from .*/) }

def warnings = lines.findAll { it.startsWith('[WARNING]') || it.startsWith('[WARN]') }
assert warnings == []

def tests = []
def testSources = new File(basedir, 'src/test/java')
if (testSources.exists()) {
    testSources.eachFileRecurse(FILES) {
        if (it.name.endsWith('Test.java')) {
            def relative = testSources.toPath().relativize(it.toPath()).toString().replace('\\', '/')
            tests << relative.replaceFirst(/\.java$/, '').replace('/', '.')
        }
    }
}
tests.each { test ->
    def report = new File(basedir, "target/surefire-reports/TEST-${test}.xml")
    assert report.exists() : "$test did not run"
    def suite = (report.getText('UTF-8') =~ /<testsuite [^>]*>/)[0]
    def count = { String name -> ((suite =~ /\b${name}="([0-9]+)"/)[0][1]) as int }
    assert count('tests') > 0 : "$test has no test"
    assert [count('failures'), count('errors'), count('skipped')] == [0, 0, 0] : "$test: $suite"
}

def expected = new File(basedir, 'expected-output.txt').readLines('UTF-8')
def pids = []
int at = 0
expected.each { want ->
    def pattern = Pattern.compile('.*' + Pattern.quote(want).replace('<pid>', '\\E([0-9]+)\\Q'))
    while (at < lines.size() && !pattern.matcher(lines[at]).matches()) {
        at++
    }
    assert at < lines.size() : "the output line '$want' was not printed (in this order) by the runs"
    def m = pattern.matcher(lines[at])
    m.matches()
    for (int g = 1; g <= m.groupCount(); g++) {
        pids << (m.group(g) as long)
    }
    at++
}
pids.unique().each { pid ->
    assert !ProcessHandle.of(pid).map { it.isAlive() }.orElse(false) : "process $pid is still running"
    def shm = new File('/dev/shm')
    def left = shm.exists() ? shm.list().findAll { it.startsWith("rapace-${pid}-") } : []
    assert left == [] : "process $pid left files in /dev/shm"
}
return true
