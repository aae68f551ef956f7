using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// Checks the DataAnnotations attributes on <see cref="SystemMailOptions"/> and the settings it holds: the range or
/// presence of each single setting. The code is generated at compile time, so no reflection runs at start-up.
/// </summary>
/// <remarks>
/// The rules across settings and against the provider template are <see cref="SystemMailOptionsValidator"/>'s. Both are
/// registered, and the options factory gathers the failures of every validator into one
/// <see cref="OptionsValidationException"/>, so one start-up failure still lists every problem.
/// </remarks>
[OptionsValidator]
internal sealed partial class SystemMailOptionsRangeValidator : IValidateOptions<SystemMailOptions>;
