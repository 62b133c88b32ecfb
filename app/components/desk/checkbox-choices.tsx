/**
 * The boxes of a several-choice question inside its fieldset (a case's fields
 * of activity, a know-how mark's fields): one labelled checkbox per option,
 * checked where `checked` lists it.
 */
export function CheckboxChoices({
  name,
  options,
  checked = [],
}: {
  name: string
  options: { value: string; label: string }[]
  checked?: readonly string[]
}) {
  return options.map((option) => (
    <label key={option.value} className="choice">
      <input
        type="checkbox"
        name={name}
        value={option.value}
        defaultChecked={checked.includes(option.value)}
      />{' '}
      {option.label}
    </label>
  ))
}
