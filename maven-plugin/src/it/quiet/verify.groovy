// Built with -q: the generate goal wrote its files but printed no summary, as every other INFO line is hidden.
def log = new File(basedir, 'build.log').getText('UTF-8').replace('\r\n', '\n')
assert !log.contains('IDL files') : "the summary line printed under -q:\n" + log
assert !log.contains('[INFO]') : "an INFO line printed under -q:\n" + log
assert new File(basedir, 'target/generated-sources/rapace/io/rapace/it/unchanged/GreeterClient.java').isFile()
