using System.Collections.Immutable;

namespace CsrssForensics.Core;

/// <summary>
/// The records' guard against uninitialised arrays: every <see cref="ImmutableArray{T}"/> member of a Core record
/// passes through <see cref="OrEmpty"/> when it is set (constructor, initializer or <c>with</c>), so a record cannot
/// hold a default array and readers never need to check <c>IsDefault</c>.
/// </summary>
internal static class EmptyArrays
{
    /// <summary>The array, or an empty one when it is default (uninitialised).</summary>
    public static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> items) => items.IsDefault ? [] : items;
}
