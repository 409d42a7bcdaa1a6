package io.rapace.idl.parse;

/** IDL texts shared by the tests. */
final class Samples {

    /** The host example of docs/idl.md, verbatim. */
    static final String HOST = """
            // host.rapace
            package io.rapace.samples.host;          // Java package of the generated code

            /// Doc comments (///) flow into the generated Javadoc and into the registry.
            enum LogLevel { Trace, Debug, Info, Warn, Error }

            struct LogRequest { level: LogLevel, message: string }
            struct GetRequest { key: string }
            struct GetResponse { value: option<bytes> }
            struct SetRequest { key: string, value: bytes }

            enum HostEvent {
                PluginLoaded { plugin_id: string },
                PluginUnloaded { plugin_id: string },
                ConfigUpdated { key: string, value: string },
                Shutdown,
            }

            service HostServices "rapace.HostServices" version 1.0 {
                unary Logger.log(LogRequest) = 1000;
                unary Storage.get(GetRequest) -> GetResponse = 1001;
                unary Storage.set(SetRequest) = 1002;
                server_streaming Events.subscribe() -> HostEvent = 1003;
            }
            """;

    /** Every construct of the language at least once. */
    static final String EVERYTHING = """
            package io.rapace.everything;

            /// All the scalars.
            struct Scalars {
                /// A flag.
                b: bool,
                i8: i8, i16: i16, i32: i32, i64: i64, i128: i128,
                u8: u8, u16: u16, u32: u32, u64: u64, u128: u128,
                f32: f32, f64: f64,
                c: char, s: string, raw: bytes,
            }

            struct Empty {}

            struct Generic {
                maybe: option<list<map<string, [u8; 4]>>>,
                matrix: [[f64; 3]; 3],
                by_level: map<Level, Scalars>,
                by_char: map<char, bool>,
                tree: option<Tree>,
            }

            /// Forward and recursive references.
            struct Tree { children: list<Tree>, shape: Shape }

            enum Level { Low, High, }

            enum Shape {
                /// No sides.
                Circle { radius: f64 },
                Poly { sides: u32, },
                Nothing {},
                Point,
            }

            struct Keywords { struct: u32, service: u32, string: u32, class: u32, to_string: u8, type: u8 }

            service Toolbox "tools.Box" version 2.15 {
                /// Opens a file.
                unary Files.open(path: string, flags: u32) -> u64;
                unary ping();
                unary pong(()) -> ();
                unary hex() -> Empty = 0xFFFFFFFF;
                client_streaming upload(bytes) -> u64 = 7;
                server_streaming watch(string) -> Shape = 8;
                bidi_streaming chat(Tree) -> Tree = 0x9;
            }

            service Echo {
                unary echo(string) -> string;
            }
            """;

    private Samples() {
    }
}
