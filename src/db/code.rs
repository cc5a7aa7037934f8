//! Values stored as short text codes (`'published'`, `'venue'`…): [`text_code!`] gives an
//! enum its codes and lets sqlx bind and read it directly. Reading a code the enum does
//! not know is an error, never a silent default: a row that says something the program
//! does not understand must not be shown or counted as something else.

/// Gives an enum its text codes: `code()`, `from_code()`, `ALL` (in the order written),
/// and sqlx's `Type`, `Encode` and `Decode` on both databases, so rows bind and read
/// the enum itself. An unknown code fails to decode, naming the enum and the code.
///
/// ```ignore
/// text_code!(Status { Draft = "draft", Published = "published" });
/// ```
#[macro_export]
macro_rules! text_code {
    (@unit $variant:ident) => {
        ()
    };
    ($name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in order.
            pub const ALL: [$name; <[()]>::len(&[$($crate::text_code!(@unit $variant)),+])] = [$($name::$variant),+];

            /// The code stored in the database and used in forms and URLs.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The value of a code; `None` for a code this program does not know.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::sqlx::Type<::sqlx::Sqlite> for $name {
            fn type_info() -> ::sqlx::sqlite::SqliteTypeInfo {
                <&str as ::sqlx::Type<::sqlx::Sqlite>>::type_info()
            }

            fn compatible(ty: &::sqlx::sqlite::SqliteTypeInfo) -> bool {
                <&str as ::sqlx::Type<::sqlx::Sqlite>>::compatible(ty)
            }
        }

        impl ::sqlx::Type<::sqlx::Postgres> for $name {
            fn type_info() -> ::sqlx::postgres::PgTypeInfo {
                <&str as ::sqlx::Type<::sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &::sqlx::postgres::PgTypeInfo) -> bool {
                <&str as ::sqlx::Type<::sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'q, DB: ::sqlx::Database> ::sqlx::Encode<'q, DB> for $name
        where
            &'static str: ::sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as ::sqlx::Database>::ArgumentBuffer,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&'static str as ::sqlx::Encode<'q, DB>>::encode(self.code(), buf)
            }
        }

        impl<'r, DB: ::sqlx::Database> ::sqlx::Decode<'r, DB> for $name
        where
            &'r str: ::sqlx::Decode<'r, DB>,
        {
            fn decode(value: <DB as ::sqlx::Database>::ValueRef<'r>) -> Result<Self, ::sqlx::error::BoxDynError> {
                let code = <&'r str as ::sqlx::Decode<'r, DB>>::decode(value)?;
                $name::from_code(code)
                    .ok_or_else(|| format!("unknown {} code {code:?}", stringify!($name)).into())
            }
        }
    };
}
